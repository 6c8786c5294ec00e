package io.chaintrace.core.pattern;

import io.chaintrace.core.pattern.account.AccountCycle;
import io.chaintrace.core.pattern.account.AccountDormancy;
import io.chaintrace.core.pattern.account.AccountFanIn;
import io.chaintrace.core.pattern.account.AccountFanOut;
import io.chaintrace.core.pattern.account.AccountGatherScatter;
import io.chaintrace.core.pattern.account.AccountPassThrough;
import io.chaintrace.core.pattern.account.AccountPatterns;
import io.chaintrace.core.pattern.account.AccountPeelChain;
import io.chaintrace.core.pattern.account.AccountScatterGather;
import io.chaintrace.core.pattern.account.AccountStructuring;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every detector threshold by name ({@code fanOut.minPayees}, {@code passThrough.maxDelay}, ...),
 * with the documented defaults (docs/PATTERNS.md); a config file overrides any of them. Times are in
 * seconds. CoinJoin rules are wallet fingerprints and are not settings.
 */
public final class PatternSettings {
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("peelChain.minLength", "3");
        DEFAULTS.put("peelChain.maxInputs", "2");
        DEFAULTS.put("peelChain.maxPeelShare", "0.2");
        DEFAULTS.put("fanOut.minPayees", "5");
        DEFAULTS.put("fanOut.window", "86400");
        DEFAULTS.put("fanIn.minPayers", "5");
        DEFAULTS.put("fanIn.window", "86400");
        DEFAULTS.put("scatterGather.minWidth", "5");
        DEFAULTS.put("scatterGather.window", "86400");
        DEFAULTS.put("gatherScatter.minWidth", "5");
        DEFAULTS.put("gatherScatter.window", "86400");
        DEFAULTS.put("passThrough.minShare", "0.9");
        DEFAULTS.put("passThrough.maxDelay", "3600");
        DEFAULTS.put("passThrough.minLength", "3");
        DEFAULTS.put("cycle.maxHops", "4");
        DEFAULTS.put("cycle.window", "604800");
        DEFAULTS.put("dormancy.minRest", "31536000");
        DEFAULTS.put("account.busyTransfers", "200");
        DEFAULTS.put("account.burst.minShare", "0.75");
        DEFAULTS.put("account.burst.maxOtherSide", "0.4");
        DEFAULTS.put("account.fanOut.window", "5184000");
        DEFAULTS.put("account.fanIn.window", "5184000");
        DEFAULTS.put("account.scatterGather.window", "5184000");
        DEFAULTS.put("account.gatherScatter.window", "5184000");
        DEFAULTS.put("account.cycle.minHops", "3");
        DEFAULTS.put("account.cycle.maxHops", "6");
        DEFAULTS.put("account.cycle.window", "5184000");
        DEFAULTS.put("account.cycle.minShare", "0.8");
        DEFAULTS.put("account.passThrough.maxDelay", "86400");
        DEFAULTS.put("account.peelChain.maxDelay", "172800");
        DEFAULTS.put("account.structuring.minPayments", "5");
        DEFAULTS.put("account.structuring.margin", "0.1");
        DEFAULTS.put("account.structuring.window", "5184000");
        DEFAULTS.put("mixerLink.window", "86400");
        DEFAULTS.put("mixerLink.gasWindow", "604800");
        DEFAULTS.put("mixerLink.sameAddress", "true");
        DEFAULTS.put("mixerLink.directTransfer", "true");
        DEFAULTS.put("mixerLink.portfolio", "true");
        DEFAULTS.put("mixerLink.uniqueGasPrice", "true");
    }

    private final Map<String, String> values;

    private PatternSettings(Map<String, String> values) {
        this.values = values;
    }

    public static PatternSettings defaults() {
        return new PatternSettings(DEFAULTS);
    }

    /**
     * The defaults with these overrides.
     *
     * @throws IllegalArgumentException naming an unknown setting or a value of the wrong kind
     */
    public static PatternSettings of(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(DEFAULTS);
        overrides.forEach((k, v) -> {
            String d = DEFAULTS.get(k);
            if (d == null) {
                throw new IllegalArgumentException("unknown pattern setting '" + k + "' (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
            }
            String value = v.strip();
            boolean ok = switch (d) {
                case "true", "false" -> value.equals("true") || value.equals("false");
                default -> d.contains(".") ? value.matches("[0-9]+(\\.[0-9]+)?") : value.matches("[0-9]+");
            };
            if (!ok) {
                throw new IllegalArgumentException("pattern setting " + k + " = '" + v + "' is not " + (d.contains(".") ? "a number"
                        : d.equals("true") ? "true or false" : "a whole number"));
            }
            m.put(k, value);
        });
        return new PatternSettings(m);
    }

    /** Every setting and its value, in a stable order (for reports). */
    public Map<String, String> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    private int i(String k) {
        return Integer.parseInt(values.get(k));
    }

    private long l(String k) {
        return Long.parseLong(values.get(k));
    }

    private double d(String k) {
        return Double.parseDouble(values.get(k));
    }

    private boolean b(String k) {
        return Boolean.parseBoolean(values.get(k));
    }

    /** A fresh set of detectors with these settings (detectors with windows keep state per run). */
    public List<PatternDetector> detectors() {
        return List.of(CoinJoinClassifier.standard(),
                new PeelChainDetector(i("peelChain.minLength"), i("peelChain.maxInputs"), d("peelChain.maxPeelShare")),
                new FanOutDetector(i("fanOut.minPayees"), l("fanOut.window")), new FanInDetector(i("fanIn.minPayers"), l("fanIn.window")),
                new ScatterGatherDetector(i("scatterGather.minWidth"), l("scatterGather.window")),
                new GatherScatterDetector(i("gatherScatter.minWidth"), l("gatherScatter.window")),
                new PassThroughDetector(d("passThrough.minShare"), l("passThrough.maxDelay"), i("passThrough.minLength")),
                new CycleDetector(i("cycle.maxHops"), l("cycle.window")), new DormancyDetector(l("dormancy.minRest")),
                new MixerUseDetector(MixerPools.TORNADO),
                new MixerLinkDetector(MixerPools.TORNADO, l("mixerLink.window"), b("mixerLink.sameAddress"), b("mixerLink.directTransfer"),
                        b("mixerLink.portfolio"), b("mixerLink.uniqueGasPrice"), l("mixerLink.gasWindow")),
                new ServiceDetector(), new SwapDetector(), accountPatterns());
    }

    /**
     * The account-chain rules (docs/PATTERNS.md, "Account chains"): the counts and shares shared with the Bitcoin
     * detectors (a fan-out's payees, a pass-through's share), windows of their own: on account chains the same address
     * is used for months, so a burst is judged against all the address did.
     */
    public AccountPatterns accountPatterns() {
        double burst = d("account.burst.minShare");
        return new AccountPatterns(List.of(
                new AccountFanOut(i("fanOut.minPayees"), l("account.fanOut.window"), burst,
                        d("account.burst.maxOtherSide")),
                new AccountFanIn(i("fanIn.minPayers"), l("account.fanIn.window"), burst,
                        d("account.burst.maxOtherSide")),
                new AccountScatterGather(i("scatterGather.minWidth"), l("account.scatterGather.window"), burst),
                new AccountGatherScatter(i("gatherScatter.minWidth"), l("account.gatherScatter.window"), burst),
                new AccountCycle(i("account.cycle.minHops"), i("account.cycle.maxHops"), l("account.cycle.window"),
                        d("account.cycle.minShare")),
                new AccountPassThrough(d("passThrough.minShare"), l("account.passThrough.maxDelay"),
                        i("passThrough.minLength")),
                new AccountPeelChain(i("peelChain.minLength"), d("peelChain.maxPeelShare"),
                        l("account.peelChain.maxDelay")),
                new AccountStructuring(i("account.structuring.minPayments"), d("account.structuring.margin"),
                        l("account.structuring.window"), burst),
                new AccountDormancy(l("dormancy.minRest"))), i("account.busyTransfers"));
    }
}
