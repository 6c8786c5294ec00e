package io.chaintrace.cli;

import io.chaintrace.cli.app.Documents;
import io.chaintrace.cli.app.Json;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.AlertReview;
import io.chaintrace.core.pattern.PatternDetector;
import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code chaintrace patterns}: runs every detector over a block range of the store (or all of it). */
@Command(name = "patterns", mixinStandardHelpOptions = true,
        description = {"Flag laundering patterns over the store: Bitcoin transactions (CoinJoins, peel chains, fan-out/in, ...)",
            "and Ethereum transfers (mixer deposits, withdrawals and links, bridges, cash-outs). --from/--to are block heights."})
final class PatternsCommand implements Callable<Integer> {
    @ParentCommand
    Chaintrace root;

    @Option(names = "--store", required = true, description = "Store directory.")
    Path store;

    @Option(names = "--from", description = "First block height (default: every transaction the store holds).")
    Integer from;

    @Option(names = "--to", description = "Last block height (inclusive).")
    Integer to;

    @Option(names = "--json", description = "One JSON alert per line (ranked, with its reason), then a summary line.")
    boolean json;

    @Option(names = "--events", description = "List direct uses of services (exchange deposits, mixer deposits and withdrawals,"
            + " bridge transfers) as alerts too; by default they are counted only.")
    boolean events;

    @Option(names = "--parts", description = "Keep alerts that are parts of larger ones (the fan-out and fan-in of a scatter-gather,"
            + " the pass-throughs of a peel chain).")
    boolean parts;

    @Option(names = "--top", defaultValue = "20", paramLabel = "N", description = "Text: the N surest alerts listed (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() {
        List<Alert> found = new ArrayList<>();
        long scanned;
        try (ChainStore cs = ChainStore.openToScan(store)) {
            scanned = scan(cs, from, to, root.patterns(), found::add);
        }
        AlertReview.Result review = AlertReview.of(found, parts, events);
        if (json) {
            review.alerts().forEach(a -> System.out.println(Json.line(Documents.AlertLine.of(a))));
            System.out.println(Json.line(Documents.PatternSummary.of(scanned, review)));
        } else {
            System.out.printf("%,d transactions and transfers scanned: %,d alerts to review (%,d findings; %,d uses of services counted,"
                    + " not listed%s)%n", scanned, review.alerts().size(), review.raw(), review.events(), events ? "" : ": --events lists them");
            System.out.printf("  %-30s %8s %9s %8s %8s %6s%n", "pattern", "alerts", "findings", "parts", "events", "top");
            for (AlertReview.PatternCount c : review.summary()) {
                System.out.printf("  %-30s %,8d %,9d %,8d %,8d %6.2f%n", c.pattern(), c.alerts(), c.raw(), c.partsLeftOut(), c.events(),
                        c.topConfidence());
            }
            if (!review.alerts().isEmpty() && top > 0) {
                System.out.printf("the %d surest:%n", Math.min(top, review.alerts().size()));
                review.alerts().stream().limit(top).forEach(r -> System.out.printf("  %-18s %s%n    %s%n", r.alert().pattern(),
                        r.alert().transactions().getFirst().hex() + (r.alert().transactions().size() > 1 ? " ..." : ""), r.reason()));
            }
        }
        return ExitCode.OK;
    }

    /**
     * Runs every detector over the store's Bitcoin transactions in a height range (all of them when
     * both ends are null), then its Ethereum transfers; returns how many were scanned.
     */
    static long scan(ChainStore cs, Integer from, Integer to, PatternSettings settings, Consumer<Alert> sink) {
        long[] scanned = {0};
        List<PatternDetector> detectors = settings.detectors();
        io.chaintrace.core.pattern.RecentLedger ledger = new io.chaintrace.core.pattern.RecentLedger(cs, 200_000);
        Consumer<UtxoTransaction> feed = tx -> {
            scanned[0]++;
            ledger.remember(tx);
            for (PatternDetector d : detectors) {
                d.accept(tx, ledger, sink);
            }
        };
        if (from == null && to == null) {
            cs.forEachTransaction(feed);
        } else {
            int lo = from == null ? 0 : from;
            int hi = to == null ? Integer.MAX_VALUE : to;
            if (lo > hi) {
                throw new IllegalArgumentException("--from " + lo + " is above --to " + hi);
            }
            for (int h = lo; h <= hi && cs.blockAt(h).isPresent(); h++) {
                for (Hash256 txid : cs.transactionIds(h)) {
                    feed.accept(cs.transaction(txid).orElseThrow());
                }
            }
        }
        // Ethereum transfers, if the store holds any: the same detectors (account-chain ones act on them).
        cs.forEachEthTransfer(from == null ? 0 : from, to == null ? Long.MAX_VALUE : to, t -> {
            scanned[0]++;
            for (PatternDetector d : detectors) {
                d.accept(t, cs, sink);
            }
        });
        detectors.forEach(d -> d.finish(sink));
        return scanned[0];
    }
}
