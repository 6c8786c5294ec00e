package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.TransferExtractor;

import io.chaintrace.core.model.Address;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.EthBlock;
import io.chaintrace.ingest.IngestListener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pulls only the neighbourhood of a seed address from a node, for investigators without a full
 * index: how value reached the seed, then hop by hop where it went. Native and internal value is
 * found with {@code trace_filter} by {@code fromAddress}/{@code toAddress}; tokens with
 * {@code eth_getLogs} on the Transfer topic with the sender in topic 1. The blocks holding those
 * transactions are then fetched whole and stored like a range ingest (each block atomic).
 */
public final class EthSeedFetcher {
    public static final String CHECKPOINT = "eth-fetch";
    /** Addresses asked about in one trace_filter / eth_getLogs call. */
    private static final int ADDRESSES_PER_CALL = 50;

    private final ChainStore store;
    private final EthRpcClient client;
    private final IngestListener listener;

    public EthSeedFetcher(ChainStore store, EthRpcClient client, IngestListener listener) {
        this.store = store;
        this.client = client;
        this.listener = listener;
    }

    /** What a fetch found and stored. */
    public record Summary(Set<String> addresses, Set<Long> blocks, long newBlocks, long transfers) {
    }

    public Summary fetch(Address seed, int hops, long fromBlock, long toBlock) {
        if (seed.chain() != io.chaintrace.core.model.Chain.ETHEREUM) {
            throw new IllegalArgumentException("fetch eth needs an Ethereum address, got " + seed.text());
        }
        long to = Math.min(toBlock, client.head());
        if (client.traceFormat(Math.max(0, Math.min(fromBlock, to))) != TraceFormat.PARITY) {
            throw new EthRpcException("node at " + client.url() + " does not offer trace_filter, which a seed-driven fetch needs;"
                    + " ingest a block range instead (chaintrace ingest eth)");
        }
        String chainId = client.chainId().toString();
        store.chainId(io.chaintrace.core.model.Chain.ETHEREUM).filter(c -> !c.equals(chainId)).ifPresent(c -> {
            throw new EthRpcException("node at " + client.url() + " serves chain id " + chainId + " but the store holds chain id " + c);
        });
        store.setChainId(io.chaintrace.core.model.Chain.ETHEREUM, chainId);
        String start = seed.text().toLowerCase(Locale.ROOT);
        Set<String> seen = new LinkedHashSet<>(List.of(start));
        Set<Long> blocks = new TreeSet<>();
        // How value reached the seed.
        for (EthRows.Trace t : client.traceFilter(fromBlock, to, List.of(), List.of(start))) {
            if (movesValue(t)) {
                blocks.add(t.blockNumber());
            }
        }
        for (EthRows.Log l : client.logsAnyOf(fromBlock, to, List.of(List.of(TransferExtractor.TRANSFER_TOPIC), List.of(), List.of(topic(start))))) {
            blocks.add(l.blockNumber());
        }
        Set<String> frontier = Set.of(start);
        for (int hop = 1; hop <= hops && !frontier.isEmpty(); hop++) {
            Set<String> next = new LinkedHashSet<>();
            List<String> asked = new ArrayList<>(frontier);
            for (int i = 0; i < asked.size(); i += ADDRESSES_PER_CALL) {
                List<String> part = asked.subList(i, Math.min(asked.size(), i + ADDRESSES_PER_CALL));
                for (EthRows.Trace t : client.traceFilter(fromBlock, to, part, List.of())) {
                    if (movesValue(t)) {
                        blocks.add(t.blockNumber());
                        next.add(t.to().get());
                    }
                }
                List<String> topics = part.stream().map(EthSeedFetcher::topic).toList();
                for (EthRows.TokenTransfer tt : TransferExtractor.tokenTransfers(
                        client.logsAnyOf(fromBlock, to, List.of(List.of(TransferExtractor.TRANSFER_TOPIC), topics)))) {
                    if (tt.value().signum() > 0) {
                        blocks.add(tt.blockNumber());
                        next.add(tt.to());
                    }
                }
            }
            next.removeAll(seen);
            seen.addAll(next);
            frontier = next;
        }
        listener.started(blocks.size(), 0);
        EthRpcSource source = new EthRpcSource(store, client, EthRpcSource.Settings.DEFAULT, 0, Long.MAX_VALUE); // fetches blocks one by one
        TransferExtractor extractor = new TransferExtractor(new TokenRegistry(client));
        long newBlocks = 0;
        long transfers = 0;
        long done = store.checkpoint(CHECKPOINT).map(Checkpoint::blocksDone).orElse(0L);
        for (long n : blocks) {
            if (store.ethBlock(n).map(io.chaintrace.graph.StoredEthBlock::fetched).orElse(true)) { // absent, or only in part
                EthBlock block = source.fetch(n, extractor);
                if (store.appendEthBlock(block, new Checkpoint(CHECKPOINT, block.hash(), Math.toIntExact(n), ++done))) {
                    newBlocks++;
                    transfers += block.transfers().size();
                }
            }
            listener.block(0);
        }
        return new Summary(seen, blocks, newBlocks, transfers);
    }

    /** Value moved by a top-level or inner frame that succeeded. */
    private static boolean movesValue(EthRows.Trace t) {
        if (t.traceAddress().isEmpty()) {
            return t.success() && t.value().signum() > 0 && t.to().isPresent() && t.traceType().equals("call");
        }
        return TransferExtractor.movesValue(t);
    }

    /** An address as a 32-byte log topic. */
    static String topic(String address) {
        return "0x000000000000000000000000" + address.substring(2).toLowerCase(Locale.ROOT);
    }
}
