package io.chaintrace.cli.app;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.EthStats;
import io.chaintrace.graph.StoreStats;
import io.chaintrace.graph.StoredBlock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a report's figures rest on: the store format, and per chain what the store holds (Bitcoin: the main
 * chain's heights and block times, so "still unspent" reads "not spent by block N"; transactions fetched from services;
 * inputs whose funding transaction is not in the store. Ethereum: the lowest and highest block and their times, blocks,
 * blocks fetched in part, transfers); the label sources with how many addresses each labels, by category.
 */
public final class Provenance {
    private Provenance() {
    }

    /** Per label source (a list's name: "ofac", a TagPack), the addresses it labels, by category: whose word each label is. */
    static Map<String, Map<String, Long>> labelSources(ChainStore cs) {
        Map<String, Map<String, Long>> bySource = new java.util.TreeMap<>();
        cs.forEachLabelled(labels -> labels.forEach(l -> bySource.computeIfAbsent(l.source(), k -> new java.util.TreeMap<>())
                .merge(l.category().id(), 1L, Long::sum)));
        return bySource;
    }

    /** Stores up to this size on disk get their digest in every report; a larger one's costs a read of all of it. */
    static final long DIGEST_MAX_BYTES = 256L << 20; // about 4 s of reading on this machine

    /**
     * The store's chain digest (SHA-256 over what it says about the chains: two stores with the same digest hold the same
     * data), when the store is small enough to read whole for a report; else how to get it.
     */
    static String digest(ChainStore cs) {
        long bytes = cs.familySizes().values().stream().mapToLong(Long::longValue).sum();
        if (bytes > DIGEST_MAX_BYTES) {
            return String.format("not computed for a report (the store holds %,d MB): chaintrace stats --digest --store DIR", bytes >> 20);
        }
        return "sha256:" + cs.chainDigest();
    }

    public static Map<String, Object> of(ChainStore cs) {
        return of(cs, digest(cs));
    }

    /** As {@link #of(ChainStore)}, with the store's digest already read (a workspace reads it once, at start). */
    public static Map<String, Object> of(ChainStore cs, String storeDigest) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("storeFormat", ChainStore.format()); // the tool's version is the report's "chaintrace" parameter
        m.put("storeDigest", storeDigest);
        Map<String, Long> sources = cs.sources();
        if (!sources.isEmpty()) {
            m.put("sources", sources);
        }
        StoreStats s = cs.stats();
        Map<String, Object> btc = new LinkedHashMap<>();
        cs.tip().ifPresent(tip -> {
            btc.put("heights", s.blocks() == tip.ref().height() + 1L ? "0-" + tip.ref().height()
                    : s.blocks() + (s.blocks() == 1 ? " block" : " blocks") + ", the highest " + tip.ref().height());
            cs.blockAt(0).flatMap(cs::block).map(StoredBlock::ref)
                    .ifPresent(first -> btc.put("from", Instant.ofEpochSecond(first.time()).toString()));
            btc.put("to", Instant.ofEpochSecond(tip.ref().time()).toString());
            btc.put("unspentMeans", "not spent by block " + tip.ref().height());
        });
        if (s.blocks() > 0 || s.fetchedTxs() > 0) {
            btc.put("blocks", s.blocks());
            btc.put("transactions", s.txs());
            btc.put("fetchedTransactions", s.fetchedTxs());
            cs.fetchedBySource().forEach((source, n) -> btc.put("fetchedFrom " + source, n));
            btc.put("inputsWithoutTheirFundingTransaction", s.unresolvedInputs());
            m.put("bitcoin", btc);
        }
        EthStats e = cs.ethStats();
        if (e.blocks() > 0) {
            Map<String, Object> eth = new LinkedHashMap<>();
            cs.ethRange().ifPresent(r -> {
                eth.put("numbers", r[0].number() + "-" + r[1].number());
                eth.put("from", Instant.ofEpochSecond(r[0].time()).toString());
                eth.put("to", Instant.ofEpochSecond(r[1].time()).toString());
            });
            eth.put("blocks", e.blocks());
            eth.put("blocksFetchedInPart", e.fetchedBlocks());
            eth.put("transfers", e.transfers());
            cs.ethFetchedBySource().forEach((source, n) -> eth.put("addressesAskedOf " + source, n));
            m.put("ethereum", eth);
        }
        Map<String, Map<String, Long>> labels = labelSources(cs);
        if (!labels.isEmpty()) {
            m.put("labelSources", labels);
        }
        return m;
    }
}
