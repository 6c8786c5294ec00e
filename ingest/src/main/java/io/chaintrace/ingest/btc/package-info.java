/**
 * Bitcoin Core block files: framing, XOR obfuscation, main-chain choice by cumulative work, and
 * parsing with bitcoinj into blocks the store appends atomically ({@link io.chaintrace.ingest.btc.BlockFileSource}).
 */
package io.chaintrace.ingest.btc;
