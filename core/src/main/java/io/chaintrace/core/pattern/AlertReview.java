package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns what the detectors raise into a list a person can review (docs/PATTERNS.md, "Review"):
 * <ul>
 * <li>alerts of one pattern that share a transaction are one alert (a peel chain found from two of
 * its steps, the bursts of one fan-out), with how many were merged;</li>
 * <li>an alert that is a part of a larger one is left out unless parts are asked for: a fan-out or
 * fan-in whose transactions all belong to a scatter-gather or gather-scatter, a pass-through whose
 * transactions all belong to a peel chain or a cycle;</li>
 * <li>a direct use of a service (a deposit to an exchange, a mixer deposit or withdrawal, a bridge
 * transfer, a swap) is an <em>event</em>, not an alert, when a whole store is scanned: thousands of
 * ordinary users do it. Events are counted per pattern; on a trace, where taint reaches the service,
 * they are alerts;</li>
 * <li>the rest ranked by confidence, then by how much they move, each with its reason in words;
 * and a summary per pattern.</li>
 * </ul>
 */
public final class AlertReview {
    /** Patterns that are a direct use of a labelled service: events in a store-wide scan. */
    static final Set<String> EVENT_PREFIXES = Set.of("cash_out", "mixer.deposit", "mixer.withdrawal", "bridge", "service", "swap");

    private AlertReview() {
    }

    /** An alert as reviewed: the (merged) alert, why it was raised, and how many raw alerts it stands for. */
    public record Reviewed(Alert alert, String reason, int merged) {
    }

    /** One pattern: alerts after merging, raw alerts, parts left out, events, and the confidences. */
    public record PatternCount(String pattern, int alerts, int raw, int partsLeftOut, int events, double topConfidence) {
    }

    /** The review: ranked alerts, the summary per pattern, and the totals. */
    public record Result(List<Reviewed> alerts, List<PatternCount> summary, int raw, int events) {
    }

    /** Whether a pattern is the direct use of a service (an event in a store-wide scan). */
    public static boolean isEvent(String pattern) {
        return EVENT_PREFIXES.stream().anyMatch(p -> pattern.equals(p) || pattern.startsWith(p + "."));
    }

    /**
     * @param parts  keep alerts that are parts of larger ones
     * @param events list service events as alerts (a trace's view) rather than only counting them
     */
    public static Result of(List<Alert> raw, boolean parts, boolean events) {
        Map<String, int[]> counts = new TreeMap<>(); // raw, partsLeftOut, events
        List<Alert> kept = new ArrayList<>();
        for (Alert a : raw) {
            int[] c = counts.computeIfAbsent(a.pattern(), k -> new int[3]);
            c[0]++;
            if (!events && isEvent(a.pattern())) {
                c[2]++;
            } else {
                kept.add(a);
            }
        }
        List<Reviewed> merged = merge(kept);
        if (!parts) {
            Set<Hash256> inWholes = new HashSet<>();
            Set<Hash256> inChains = new HashSet<>();
            for (Reviewed r : merged) {
                if (r.alert().pattern().equals("scatter_gather") || r.alert().pattern().equals("gather_scatter")) {
                    inWholes.addAll(r.alert().transactions());
                }
                if (r.alert().pattern().equals("peel_chain") || r.alert().pattern().equals("cycle")) {
                    inChains.addAll(r.alert().transactions());
                }
            }
            List<Reviewed> out = new ArrayList<>();
            for (Reviewed r : merged) {
                String p = r.alert().pattern();
                boolean part = ((p.equals("fan_out") || p.equals("fan_in")) && inWholes.containsAll(r.alert().transactions()))
                        || (p.equals("pass_through") && inChains.containsAll(r.alert().transactions()));
                if (part) {
                    counts.get(p)[1] += r.merged();
                } else {
                    out.add(r);
                }
            }
            merged = out;
        }
        merged.sort(Comparator.comparingDouble((Reviewed r) -> r.alert().confidence()).reversed()
                .thenComparing((Reviewed r) -> total(r.alert()), Comparator.reverseOrder())
                .thenComparing(r -> r.alert().times().isEmpty() ? Long.MAX_VALUE : r.alert().times().getFirst()));
        Map<String, List<Reviewed>> byPattern = new LinkedHashMap<>();
        merged.forEach(r -> byPattern.computeIfAbsent(r.alert().pattern(), k -> new ArrayList<>()).add(r));
        List<PatternCount> summary = new ArrayList<>();
        int eventCount = 0;
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            List<Reviewed> list = byPattern.getOrDefault(e.getKey(), List.of());
            summary.add(new PatternCount(e.getKey(), list.size(), e.getValue()[0], e.getValue()[1], e.getValue()[2],
                    list.stream().mapToDouble(r -> r.alert().confidence()).max().orElse(0)));
            eventCount += e.getValue()[2];
        }
        return new Result(List.copyOf(merged), List.copyOf(summary), raw.size(), eventCount);
    }

    /** Alerts of one pattern that share a transaction, as one (union-find over their transactions). */
    private static List<Reviewed> merge(List<Alert> alerts) {
        Map<String, List<Alert>> byPattern = new LinkedHashMap<>();
        alerts.forEach(a -> byPattern.computeIfAbsent(a.pattern(), k -> new ArrayList<>()).add(a));
        List<Reviewed> out = new ArrayList<>();
        for (List<Alert> group : byPattern.values()) {
            int[] parent = new int[group.size()];
            for (int i = 0; i < parent.length; i++) {
                parent[i] = i;
            }
            Map<Hash256, Integer> firstWith = new HashMap<>();
            for (int i = 0; i < group.size(); i++) {
                for (Hash256 tx : group.get(i).transactions()) {
                    Integer j = firstWith.putIfAbsent(tx, i);
                    if (j != null) {
                        parent[find(parent, i)] = find(parent, j);
                    }
                }
            }
            Map<Integer, List<Alert>> sets = new LinkedHashMap<>();
            for (int i = 0; i < group.size(); i++) {
                sets.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(group.get(i));
            }
            for (List<Alert> set : sets.values()) {
                Alert a = set.size() == 1 ? set.getFirst() : union(set);
                out.add(new Reviewed(a, reason(a, set.size()), set.size()));
            }
        }
        return out;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Merged alerts: every transaction and address once, in order; the amounts and times of all; the surest's settings. */
    private static Alert union(List<Alert> set) {
        Alert best = set.stream().max(Comparator.comparingDouble(Alert::confidence)).orElseThrow();
        Set<Hash256> txs = new LinkedHashSet<>();
        Set<Address> who = new LinkedHashSet<>();
        List<BigInteger> amounts = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (Alert a : set) {
            txs.addAll(a.transactions());
            who.addAll(a.addresses());
            amounts.addAll(a.amounts());
            times.addAll(a.times());
        }
        times.sort(null);
        Map<String, String> parameters = new TreeMap<>(best.parameters());
        parameters.put("merged", Integer.toString(set.size()));
        return new Alert(best.pattern(), List.copyOf(txs), List.copyOf(who), amounts, times, best.confidence(), parameters);
    }

    private static BigInteger total(Alert a) {
        return a.amounts().stream().reduce(BigInteger.ZERO, BigInteger::add);
    }

    private static final Map<String, String> WHAT = Map.ofEntries(
            Map.entry("peel_chain", "a peel chain: one coin paying out small amounts hop after hop, the rest moving on"),
            Map.entry("pass_through", "rapid pass-through: most of what arrived left again soon, to one address, hop after hop"),
            Map.entry("fan_out", "fan-out: one address split value over many addresses within a window"),
            Map.entry("fan_in", "fan-in: many addresses paid into one within a window"),
            Map.entry("structuring", "structuring: many payments each just under a round figure"),
            Map.entry("scatter_gather", "scatter-gather: value split over many addresses, then gathered again"),
            Map.entry("gather_scatter", "gather-scatter: value gathered from many addresses, then split again"),
            Map.entry("cycle", "a cycle: value came back to an address it had left"),
            Map.entry("dormancy", "dormancy then sudden movement: coins long at rest moved at once"),
            Map.entry("mixer.link", "a mixer deposit and withdrawal linked by the same wallet's habits"),
            Map.entry("coinjoin", "a CoinJoin: many inputs mixed into equal outputs"),
            Map.entry("cash_out", "value deposited to an exchange"),
            Map.entry("mixer.deposit", "a deposit into a mixer"),
            Map.entry("mixer.withdrawal", "a withdrawal from a mixer"),
            Map.entry("bridge", "value sent over a bridge to another chain"),
            Map.entry("swap", "a swap: one asset paid and another received in the same transaction"));

    /** Why an alert was raised, in words: what the pattern is, and the facts of this one. */
    public static String reason(Alert a, int merged) {
        String what = WHAT.entrySet().stream().filter(e -> a.pattern().equals(e.getKey()) || a.pattern().startsWith(e.getKey() + "."))
                .map(Map.Entry::getValue).findFirst().orElse(a.pattern());
        StringBuilder s = new StringBuilder(what);
        s.append(": ").append(a.transactions().size()).append(a.transactions().size() == 1 ? " transaction" : " transactions");
        s.append(", ").append(a.addresses().size()).append(a.addresses().size() == 1 ? " address" : " addresses");
        if (a.times().size() >= 2) {
            long span = a.times().getLast() - a.times().getFirst();
            if (span > 0) {
                s.append(", over ").append(human(Duration.ofSeconds(span)));
            }
        }
        if (merged > 1) {
            s.append("; ").append(merged).append(" findings merged");
        }
        String heuristic = a.pattern().startsWith("mixer.link.") ? a.pattern().substring("mixer.link.".length()).replace('_', ' ') : "";
        if (!heuristic.isEmpty()) {
            s.append("; linked by ").append(heuristic);
        }
        s.append(String.format(java.util.Locale.ROOT, "; confidence %.2f", a.confidence()));
        return s.toString();
    }

    private static String human(Duration d) {
        if (d.toDays() >= 2) {
            return d.toDays() + " days";
        }
        if (d.toHours() >= 2) {
            return d.toHours() + " hours";
        }
        if (d.toMinutes() >= 2) {
            return d.toMinutes() + " minutes";
        }
        return d.toSeconds() + " seconds";
    }
}
