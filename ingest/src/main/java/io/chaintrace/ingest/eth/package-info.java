/**
 * Ethereum: a JSON-RPC node through web3j ({@link io.chaintrace.ingest.eth.EthRpcClient}), block-range
 * ingest and seed-driven fetch, blockchain-etl exports, and the extraction of native, internal and
 * ERC-20 transfers shared by all of them ({@link io.chaintrace.core.account.TransferExtractor}).
 */
package io.chaintrace.ingest.eth;
