package io.chaintrace.cli.app;

import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.compact.CompactTracer;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.trace.TraceResult;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The text form of a trace, for a terminal. */
public final class TraceText {
    private TraceText() {
    }

    public static void print(TraceOutcome outcome, String policy, boolean withPatterns, PrintStream out) {
        switch (outcome) {
            case TraceOutcome.Utxo u -> {
                utxo(u.result(), out);
                if (withPatterns) {
                    patterns(u.alerts(), out);
                }
            }
            case TraceOutcome.Compact c -> compact(c.result(), c.byEntity(), policy, out);
            case TraceOutcome.Account a -> {
                account(a.result(), policy, a.backward(), out);
                if (withPatterns) {
                    patterns(a.alerts(), out);
                }
            }
        }
    }

    private static void utxo(TraceResult r, PrintStream out) {
        TraceResult.Account a = r.account();
        out.printf("%s %s, %d hops: seeded %s BTC; endpoints %s, unspent %s, fees %s, minted %s, unresolved %s, dust %s, cut %s%s%s%n",
                r.request().policy().name(), r.request().direction().name().toLowerCase(Locale.ROOT), r.request().limits().maxHops(),
                btc(a.seeded()), btc(a.endpoints()), btc(a.unspent()), btc(a.fees()), btc(a.minted()), btc(a.unresolved()), btc(a.dust()),
                btc(a.cutByHops() + a.cutByTime() + a.cutByBudget()),
                a.cutNotFetched() == 0 ? "" : ", not fetched " + btc(a.cutNotFetched()) + " (the fetched neighbourhood ends there)",
                r.request().policy().conserving() ? "" : " (poison: whole outputs)");
        r.byEntity().forEach((entity, amount) -> out.printf("  endpoint %-40s %16s BTC%n", entity, btc(amount)));
        out.printf("%-3s %-7s %-70s %16s %16s  %s%n", "hop", "height", "output", "value BTC", "taint BTC", "owner / state");
        for (TraceResult.TaintedOutput o : r.outputs()) {
            out.printf("%-3d %-7d %-70s %16s %16s  %s / %s%n", o.hop(), o.height(), o.outpoint(), btc(o.value()), btc(o.taint().amount()),
                    o.owner().map(x -> x.shown().length() > 40 ? x.shown().substring(0, 40) + "…" : x.shown()).orElse("-"),
                    o.state().name().toLowerCase(Locale.ROOT));
        }
    }

    private static void patterns(List<Alert> alerts, PrintStream out) {
        Map<String, Integer> counts = new TreeMap<>();
        alerts.forEach(a -> counts.merge(a.pattern(), 1, Integer::sum));
        out.println("patterns: " + (counts.isEmpty() ? "none" : counts));
        alerts.forEach(a -> out.printf("  %-20s %s (confidence %.2f)%n", a.pattern(),
                a.transactions().stream().map(Hash256::hex).collect(Collectors.joining(", ")), a.confidence()));
    }

    private static void compact(CompactTracer.Result r, Map<String, Long> byEntity, String policy, PrintStream out) {
        out.printf("%s, compact engine: seeded %s BTC, at endpoints %s, unspent %s, fees %s, cut by hops %s%s; %,d edges%n", policy,
                btc(r.seeded()), btc(r.endpoints()), btc(r.unspent()), btc(r.fees()), btc(r.cutByHops()),
                r.absorbedBySeeds() == 0 ? "" : ", reached seeds again " + btc(r.absorbedBySeeds()), r.edgesVisited());
        byEntity.forEach((k, v) -> out.printf("  endpoint %-30s %s BTC%n", k, btc(v)));
    }

    private static void account(AccountTrace.Result result, String policy, boolean backward, PrintStream out) {
        for (AccountTrace.AssetResult a : result.assets()) {
            String asset = a.asset().symbol().isEmpty() ? a.asset().contract().map(c -> "token " + c.text()).orElse("?") : a.asset().symbol();
            // With the asset's decimals when known (ETH's 18, a token's from its contract), else in base units.
            java.util.function.Function<java.math.BigInteger, String> show = a.asset().decimals().isPresent()
                    ? v -> new BigDecimal(v, a.asset().decimals().getAsInt()).stripTrailingZeros().toPlainString() + " " + asset
                    : v -> v + " base units";
            AccountTrace.Account acc = a.account();
            out.printf("%s %s: seeded %s, at endpoints %s, %s %s%s%n", policy, asset, show.apply(acc.seeded()), show.apply(acc.endpoints()),
                    backward ? "origin unknown" : "held", show.apply(acc.held()),
                    (acc.cutNotFetched().signum() == 0 ? "" : ", not fetched " + show.apply(acc.cutNotFetched())
                            + " (the fetched neighbourhood ends there)")
                    + (acc.swappedIn().signum() == 0 ? "" : ", swapped in " + show.apply(acc.swappedIn()))
                    + (acc.swappedOut().signum() == 0 ? "" : ", swapped out " + show.apply(acc.swappedOut())));
            a.byEntity().forEach((k, v) -> out.printf("  endpoint %-30s %s%n", k, show.apply(v)));
        }
    }

    /** Satoshi as BTC, exactly. */
    public static String btc(long sat) {
        return new BigDecimal(sat).movePointLeft(8).toPlainString();
    }
}
