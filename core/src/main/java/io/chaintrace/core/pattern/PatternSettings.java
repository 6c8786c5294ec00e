package io.chaintrace.core.pattern;

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
                new ServiceDetector(), new SwapDetector());
    }
}
