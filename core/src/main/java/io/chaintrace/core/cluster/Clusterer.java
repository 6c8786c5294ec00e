package io.chaintrace.core.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Groups owner ids into entities, transaction by transaction: every input of a transaction
 * belongs to one entity (common-input ownership), except in CoinJoins; and its change output
 * joins them when at least {@code minVotes} change heuristics name the same output and none names
 * another (consensus). Each union is counted by its reason.
 */
public final class Clusterer {
    private final UnionFind sets;
    private final List<ChangeHeuristic> heuristics;
    private final int minVotes;
    private long multiInputLinks;
    private long changeLinks;
    private long coinjoinsSkipped;

    public Clusterer(UnionFind sets, List<ChangeHeuristic> heuristics, int minVotes) {
        this.sets = sets;
        this.heuristics = List.copyOf(heuristics);
        this.minVotes = minVotes;
    }

    /** Every heuristic, consensus of two. */
    public static Clusterer standard(UnionFind sets) {
        return new Clusterer(sets, List.of(new OneTimeChange(), RoundPayment.DEFAULT, new OptimalChange(), new AddressTypeChange(),
                new PeelContinuation()), 2);
    }

    /** A union made: the two owners and why. */
    public record Link(int a, int b, String reason) {
    }

    public List<Link> accept(ClusterTx tx) {
        List<Link> links = new ArrayList<>();
        if (tx.coinjoin()) {
            coinjoinsSkipped++;
            return links;
        }
        int first = joinInputs(tx, links);
        if (first < 0) {
            return links;
        }
        OptionalInt change = change(tx);
        if (change.isPresent()) {
            joinChange(first, tx.outOwner()[change.getAsInt()], links);
        }
        return links;
    }

    /** A CoinJoin passed over: its inputs are many owners. */
    public void skipCoinJoin() {
        coinjoinsSkipped++;
    }

    /**
     * Common-input ownership: joins every owned input of {@code tx} (not a CoinJoin) to the first; returns the first
     * input's owner, -1 when no input is owned. Links made go to {@code links} when it is not null.
     */
    public int joinInputs(ClusterTx tx, List<Link> links) {
        int first = -1;
        for (int owner : tx.inOwner()) {
            if (owner < 0) {
                continue;
            }
            if (first < 0) {
                first = owner;
            } else if (sets.find(first) != sets.find(owner)) {
                sets.union(first, owner);
                multiInputLinks++;
                if (links != null) {
                    links.add(new Link(first, owner, "multi_input"));
                }
            }
        }
        return first;
    }

    /**
     * Joins a change output's owner ({@code changeOwner}, -1 for none) to the spender's entity ({@code firstInput}): a
     * clusterer that learns a transaction's change later than its inputs (clustering from the compact rows, where a peel
     * step's continuation is known only when its remainder's spender is read) joins it then.
     */
    public void joinChange(int firstInput, int changeOwner, List<Link> links) {
        if (changeOwner >= 0 && sets.find(changeOwner) != sets.find(firstInput)) {
            sets.union(firstInput, changeOwner);
            changeLinks++;
            if (links != null) {
                links.add(new Link(firstInput, changeOwner, "change"));
            }
        }
    }

    /**
     * The change output: the one at least {@code minVotes} heuristics name, when none names another. A function of the
     * transaction alone, so that a job clustering the chain in parallel (module spark) asks the same question.
     */
    public OptionalInt change(ClusterTx tx) {
        int named = -1;
        int votes = 0;
        for (ChangeHeuristic h : heuristics) {
            OptionalInt c = h.change(tx);
            if (c.isEmpty()) {
                continue;
            }
            if (named >= 0 && c.getAsInt() != named) {
                return OptionalInt.empty();
            }
            named = c.getAsInt();
            votes++;
        }
        return votes >= minVotes ? OptionalInt.of(named) : OptionalInt.empty();
    }

    public long multiInputLinks() {
        return multiInputLinks;
    }

    public long changeLinks() {
        return changeLinks;
    }

    public long coinjoinsSkipped() {
        return coinjoinsSkipped;
    }

    public UnionFind sets() {
        return sets;
    }
}
