package io.chaintrace.cli;

import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.btc.BlockFileSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chaintrace demo}: the main job on the embedded default. Ingests real mainnet blocks 0-589
 * into a RocksDB store and traces the first coins ever paid onward (block 9's coinbase, spent in
 * block 170 from Satoshi to Hal Finney) under poison and haircut.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Ingest real mainnet blocks 0-589 (../shared/data/btc/blk/firstblocks.blk) into an embedded store",
            "and trace block 9's coinbase six hops forward under poison and haircut; writes JSON results."})
final class DemoCommand implements Callable<Integer> {
    static final String SEED = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0";

    @Option(names = "--blocks", description = "Block file to ingest (default: $CHAINTRACE_SHARED/data/btc/blk/firstblocks.blk).")
    Path blocks;

    @Option(names = "--out", defaultValue = "chaintrace-demo", description = "Where the store and results go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--hops", defaultValue = "6", description = "Hops to follow (default: ${DEFAULT-VALUE}).")
    int hops;

    @Override
    public Integer call() throws IOException {
        Path file = blocks != null ? blocks : defaultBlocks();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("demo blocks not found at " + file
                    + " (set CHAINTRACE_SHARED to the shared/ folder, or pass --blocks FILE)");
        }
        Path store = out.resolve("store");
        Files.createDirectories(out);
        try {
            ChainStore.open(store).close();
        } catch (io.chaintrace.graph.StoreException e) {
            if (!e.otherVersion()) {
                throw e;
            }
            // The demo's own store, from an earlier version: build it again.
            System.out.println("  (the demo store was written by another version of Chaintrace: rebuilding it)");
            try (java.util.stream.Stream<Path> files = Files.walk(store)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        System.out.println("Chaintrace demo: real Bitcoin mainnet blocks 0-589 from " + file);
        try (ChainStore cs = ChainStore.open(store); IngestCommand.Progress progress = new IngestCommand.Progress(true)) {
            BlockFileSource.Summary s = new BlockFileSource(cs, progress).ingest(List.of(file));
            progress.close();
            System.out.printf("  store %s: %,d blocks, %,d transactions (%,d newly ingested)%n", store,
                    cs.stats().blocks(), cs.stats().txs(), s.written());
            System.out.println("  seed: " + SEED + " (block 9 coinbase, 50 BTC; spent in block 170, Satoshi -> Hal Finney)");
            for (String policy : List.of("poison", "haircut", "fifo", "lifo", "tiho")) {
                TraceResult r = new UtxoTracer(cs).trace(new TraceRequest(List.of(Seed.parse(SEED)), TaintPolicy.named(policy), hops));
                Path json = out.resolve("trace-" + policy + ".json");
                try {
                    Files.writeString(json, Json.write(TraceCommand.toJson(r)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                long deepest = r.outputs().stream().mapToInt(TraceResult.TaintedOutput::hop).max().orElse(0);
                // Poison marks whole outputs, so its totals exceed what was stolen; say which is which.
                String rest = r.request().policy().conserving() ? "tainted value now unspent" : "value on tainted unspent outputs";
                System.out.printf("  %-7s: %d outputs reached in %d hops; %s %s BTC, fees %s BTC, cut by hop limit %s BTC -> %s%n",
                        policy, r.outputs().size(), deepest, rest, TraceCommand.btc(r.account().unspent()), TraceCommand.btc(r.account().fees()),
                        TraceCommand.btc(r.account().cutByHops()), json);
                r.outputs().stream().filter(o -> o.hop() == deepest).forEach(o -> System.out.printf(
                        "           hop %d: %s carries %s of %s BTC%n", o.hop(), o.outpoint(), TraceCommand.btc(o.taint().amount()),
                        TraceCommand.btc(o.value())));
            }
        }
        System.out.println("Next: ./chaintrace trace --store " + store + " --seed " + SEED + " --policy haircut --hops 6");
        return ExitCode.OK;
    }

    private static Path defaultBlocks() {
        String shared = System.getenv().getOrDefault("CHAINTRACE_SHARED", "../shared");
        return Path.of(shared, "data", "btc", "blk", "firstblocks.blk");
    }
}
