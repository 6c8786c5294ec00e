package io.chaintrace.core.account;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.TaintPolicy;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Requests and results of account traces. */
public final class AccountTrace {
    private AccountTrace() {
    }

    /**
     * What was stolen: the inflows to {@code address}, only those of transaction {@code tx} when given; or, with
     * {@code outflows}, every payment {@code address} made from {@code fromTime} on (a drained hot wallet).
     */
    public record Seed(Address address, Optional<Hash256> tx, boolean outflows, long fromTime) {
        public Seed(Address address, Optional<Hash256> tx) {
            this(address, tx, false, Long.MIN_VALUE);
        }

        /** Every payment {@code address} made from {@code fromTime} (unix seconds; {@code Long.MIN_VALUE}: all). */
        public static Seed outflowsOf(Address address, long fromTime) {
            return new Seed(address, Optional.empty(), true, fromTime);
        }

        @Override
        public String toString() {
            if (outflows) {
                return io.chaintrace.core.trace.Seed.OUTFLOWS + address.text() + (fromTime == Long.MIN_VALUE ? "" : "@" + fromTime);
            }
            return address.text() + tx.map(t -> "@0x" + t.hex()).orElse("");
        }
    }

    /**
     * A trace on account pools. {@code followSwaps}: taint that an address pays into a swap (it sends asset A and receives
     * asset B in the same transaction) goes on in B, in the ratio of that swap's amounts, instead of into the pool.
     */
    public record Request(List<Seed> seeds, TaintPolicy policy, Limits limits, Set<LabelCategory> stopAt, boolean throughEndpoints,
                          boolean followSwaps) {
        public Request {
            seeds = List.copyOf(seeds);
            stopAt = Set.copyOf(stopAt);
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("a trace needs at least one seed");
            }
        }

        public Request(List<Seed> seeds, TaintPolicy policy, Limits limits, Set<LabelCategory> stopAt, boolean throughEndpoints) {
            this(seeds, policy, limits, stopAt, throughEndpoints, false);
        }
    }

    /** The trace of each asset the seeds received. */
    public record Result(Request request, List<AssetResult> assets) {
        public Optional<AssetResult> asset(String symbolOrContract) {
            return assets.stream().filter(a -> a.asset().symbol().equalsIgnoreCase(symbolOrContract)
                    || a.asset().contract().map(c -> c.text().equalsIgnoreCase(symbolOrContract)).orElse(false)).findFirst();
        }
    }

    /**
     * One asset's trace. For a conserving policy
     * {@code seeded = endpoints + held + dust + cutByHops + cutByTime + cutByBudget + cutNotFetched + absorbedBySeeds}, exactly.
     */
    public record AssetResult(Asset asset, List<Reached> addresses, List<Hit> endpoints, List<TaintedTransfer> flows, Account account) {
        public Map<String, BigInteger> byEntity() {
            Map<String, BigInteger> m = new TreeMap<>();
            endpoints.forEach(h -> m.merge(h.entity(), h.amount(), BigInteger::add));
            return m;
        }
    }

    /**
     * Where the seeded taint of one asset is. {@code held}: still at traced addresses. {@code absorbedBySeeds}: taint
     * the trace carried into a seed transfer (a seed address paid back with its own stolen value): the seed counts its
     * whole amount as seeded already, so what arrived with it is absorbed there, not seeded twice. {@code cutNotFetched}:
     * taint at addresses whose history a fetch did not ask for ({@link AccountLedger#historyKnown}): where it went next
     * is not in the store, which is not the same as held. {@code paidBeyondSeen}: value traced addresses paid, once taint
     * had reached them, beyond what the trace saw them hold (balances from before the data, block rewards, history a
     * fetch did not read): paid clean, so it carries none of the taint; not part of the taint's account. With swaps
     * followed: {@code swappedOut}, taint of this asset paid into swaps, and {@code swappedIn}, taint this asset received
     * from swaps of another (both exact: the swap's amounts in ratio, rounded down per transfer).
     */
    public record Account(BigInteger seeded, BigInteger endpoints, BigInteger held, BigInteger dust, BigInteger cutByHops,
                          BigInteger cutByTime, BigInteger cutByBudget, BigInteger cutNotFetched, BigInteger absorbedBySeeds,
                          BigInteger paidBeyondSeen, BigInteger swappedIn, BigInteger swappedOut) {
        public Account(BigInteger seeded, BigInteger endpoints, BigInteger held, BigInteger dust, BigInteger cutByHops,
                       BigInteger cutByTime, BigInteger cutByBudget, BigInteger cutNotFetched, BigInteger absorbedBySeeds,
                       BigInteger paidBeyondSeen) {
            this(seeded, endpoints, held, dust, cutByHops, cutByTime, cutByBudget, cutNotFetched, absorbedBySeeds, paidBeyondSeen,
                    BigInteger.ZERO, BigInteger.ZERO);
        }

        public BigInteger accounted() {
            return endpoints.add(held).add(dust).add(cutByHops).add(cutByTime).add(cutByBudget).add(cutNotFetched).add(absorbedBySeeds)
                    .add(swappedOut);
        }

        /** Whether every unit that came in (seeded, and taint swapped in from another asset) is somewhere. */
        public boolean balanced() {
            return seeded.add(swappedIn).equals(accounted());
        }
    }

    /** An address the taint reached: how much taint it received in all, the smallest hop, what it still holds. */
    public record Reached(Address address, int hop, BigInteger received, BigInteger held) {
    }

    /** A transfer the trace followed and the taint it carried (backward: the part of it that the seeds came from). */
    public record TaintedTransfer(AccountTransfer transfer, BigInteger taint, int hop) {
    }

    /** Taint received by a labelled service in one transfer. */
    public record Hit(String entity, LabelCategory category, Address address, Hash256 tx, int block, long time, int hop, BigInteger amount) {
    }
}
