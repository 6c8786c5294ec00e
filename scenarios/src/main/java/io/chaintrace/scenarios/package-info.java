/**
 * Generated chains with known answers: thefts laundered through splits, peel chains, merges with
 * clean funds, mixing pools and exchange deposits, amid unrelated traffic, with the amount each
 * taint policy must find at every endpoint worked out step by step as the chain is built.
 */
package io.chaintrace.scenarios;
