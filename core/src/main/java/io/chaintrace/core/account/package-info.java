/**
 * Tracing on account chains (Ethereum): every address is a pool per asset; inflows add value and
 * taint, outflows take from the pool as the policy's {@link io.chaintrace.core.account.Pool} says.
 * Amounts are exact integers (wei and token units exceed 64 bits).
 */
package io.chaintrace.core.account;
