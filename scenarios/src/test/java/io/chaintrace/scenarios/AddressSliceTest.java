package io.chaintrace.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.core.pattern.account.AccountPassThrough;
import io.chaintrace.core.pattern.account.AccountPatterns;
import io.chaintrace.core.pattern.account.AddressSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The account rules partitioned by address (what the Spark jobs run on each address's transfers) find what the rules
 * find over the whole scan: on 60 planted instances of every pattern among near-misses and 20,000 ordinary payments,
 * every fan-out and fan-in alert equal, and every pass-through chain walked from the slices' forwards equal to the
 * rule's, on the default settings and on looser ones.
 */
class AddressSliceTest {
    @Test
    void slicesFindWhatTheWholeScanFinds() {
        AccountPatternPlanter.Planted planted = AccountPatternPlanter.plant(2026, 60, 20_000);
        List<AccountTransfer> all = planted.transfers().stream().filter(t -> !t.from().equals(t.to())).toList();
        Map<Address, List<Integer>> byAddress = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byAddress.computeIfAbsent(all.get(i).from(), k -> new ArrayList<>()).add(i);
            byAddress.computeIfAbsent(all.get(i).to(), k -> new ArrayList<>()).add(i);
        }
        for (PatternSettings settings : List.of(PatternSettings.defaults(), PatternSettings.of(Map.of("fanOut.minPayees", "3", "fanIn.minPayers",
                "3", "passThrough.minLength", "2", "passThrough.minShare", "0.8", "account.busyTransfers", "40")))) {
            AccountPatterns whole = settings.accountPatterns();
            all.forEach(t -> whole.accept(t, planted.ledger(), a -> { }));
            Set<String> expected = new TreeSet<>();
            whole.finish(a -> {
                if (List.of("fan_out", "fan_in", "pass_through").contains(a.pattern())) {
                    expected.add(a.pattern() + " " + a.parameters().get("subject") + " " + a.transactions());
                }
            });
            // The facts of the whole scan, each from its own address's slice.
            int busy = settings.accountPatterns().busyTransfers();
            Map<Address, Boolean> active = new HashMap<>();
            byAddress.forEach((x, idx) -> active.put(x, new AddressSlice(x, idx.stream().map(all::get).toList()).active(busy)));
            java.util.function.Predicate<Address> service = x -> planted.ledger().labelsOf(x).stream()
                    .anyMatch(l -> AccountPatterns.service(l.category()));
            AccountPatterns rules = settings.accountPatterns();
            AccountPassThrough passThrough = (AccountPassThrough) rules.rules().stream().filter(r -> r instanceof AccountPassThrough).findFirst()
                    .orElseThrow();
            Set<String> found = new TreeSet<>();
            Map<Integer, Integer> next = new HashMap<>();
            byAddress.forEach((x, idx) -> {
                AddressSlice slice = new AddressSlice(x, idx.stream().map(all::get).toList());
                slice.bursts(rules, active::get, service, a -> found.add(a.pattern() + " " + a.parameters().get("subject") + " " + a.transactions()));
                slice.forwards(passThrough, active::get, (received, paidOn) -> next.put(idx.get(received), idx.get(paidOn)));
            });
            // Chains from their first hop, as the rule walks them.
            Set<Integer> followed = new HashSet<>(next.values());
            for (int e : new TreeSet<>(next.keySet())) {
                if (followed.contains(e)) {
                    continue;
                }
                Set<Address> passed = new HashSet<>(List.of(all.get(e).from()));
                List<AccountTransfer> chain = new ArrayList<>();
                boolean loops = false;
                for (Integer x = e; x != null && !loops; x = service.test(all.get(x).to()) ? null : next.get(x)) {
                    chain.add(all.get(x));
                    loops = !passed.add(all.get(x).to());
                }
                if (!loops && chain.size() - 1 >= passThrough.minLength()) {
                    found.add("pass_through " + all.get(e).to().text() + " " + chain.stream().map(AccountTransfer::txHash).distinct().toList());
                }
            }
            assertTrue(expected.stream().filter(a -> a.startsWith("pass_through")).count() >= 10
                    && expected.stream().filter(a -> a.startsWith("fan_in")).count() >= 10, expected.size() + " alerts");
            assertEquals(expected, found, settings.values().toString());
        }
    }
}
