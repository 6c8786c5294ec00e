package io.chaintrace.cli.app;

import io.chaintrace.core.cluster.Clusterer;
import io.chaintrace.core.cluster.TransactionClustering;
import io.chaintrace.core.cluster.UnionFind;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.graph.ChainStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An entity with its evidence: its addresses, their labels, and each link that joined two of them with the transaction that
 * made it. The store keeps the partition, not the reasons; the reasons are found again by replaying the clusterer over the
 * members' own transactions in chain order (every link inside an entity joins two of its members in one of their
 * transactions, so no other transaction can join them), with each output's freshness as the clustering run saw it (an
 * address is new in the transaction it first appears in).
 */
public final class EntityEvidence {
    /** Entities with more addresses than this are listed, not replayed (an exchange's cluster: millions of transactions). */
    public static final int MAX_REPLAYED = 5_000;

    private EntityEvidence() {
    }

    /** A link: two addresses joined, why (common input, or change named by two heuristics), in which transaction. */
    public record Link(String a, String b, String reason, String tx, int height) {
    }

    /** An entity: its name (its first address), how many addresses it has, those listed, their labels, and the links. */
    public record Entity(String address, String entity, long size, List<String> members, Map<String, List<String>> labels, List<Link> links,
                         String note) {
    }

    public static Entity of(ChainStore cs, Address address, int limit) {
        Address root = cs.entityOf(address).orElseThrow(() -> new IllegalArgumentException("address " + address.shown() + " is not in the store"));
        ChainStore.Members m = cs.entityMembers(address, Math.max(limit, 1));
        Map<String, List<String>> labels = new java.util.TreeMap<>();
        for (Address a : m.addresses()) {
            List<String> ls = cs.labelsOf(a).stream().map(l -> l.entity() + " (" + l.category().id() + ", source " + l.source() + ")").toList();
            if (!ls.isEmpty()) {
                labels.put(a.shown(), ls);
            }
        }
        List<String> shown = m.addresses().stream().limit(limit).map(Address::shown).toList();
        if (m.total() == 1) {
            return new Entity(address.shown(), root.shown(), 1, shown, labels, List.of(), "alone: no link joins it to another address"
                    + " (or it was not clustered yet: chaintrace cluster --store DIR)");
        }
        if (root.chain() != Chain.BITCOIN) {
            return new Entity(address.shown(), root.shown(), m.total(), shown, labels, List.of(),
                    "Ethereum: joined as accounts paying one exchange deposit address (docs/CLUSTERING.md)");
        }
        if (m.total() > MAX_REPLAYED) {
            return new Entity(address.shown(), root.shown(), m.total(), shown, labels, List.of(), String.format("%,d addresses: too many to"
                    + " replay their transactions here (at most %,d); the first %,d are listed", m.total(), MAX_REPLAYED, shown.size()));
        }
        List<Address> all = m.total() <= m.addresses().size() ? m.addresses() : cs.entityMembers(address, MAX_REPLAYED).addresses();
        return new Entity(address.shown(), root.shown(), m.total(), shown, labels, links(cs, all), null);
    }

    /** The links among {@code members}, found by replaying their transactions in chain order. */
    private static List<Link> links(ChainStore cs, List<Address> members) {
        Set<Hash256> ids = new LinkedHashSet<>();
        members.forEach(a -> ids.addAll(cs.transactionsOf(a)));
        List<UtxoTransaction> txs = new ArrayList<>();
        ids.forEach(id -> cs.transaction(id).ifPresent(txs::add));
        txs.sort(Comparator.comparingInt((UtxoTransaction t) -> t.block().height()).thenComparingInt(UtxoTransaction::position));
        int maxId = 0;
        Map<Integer, Address> byId = new HashMap<>();
        for (UtxoTransaction t : txs) {
            for (TxOutput o : t.outputs()) {
                if (o.owner().isPresent()) {
                    int id = cs.addressId(o.owner().get()).orElse(-1);
                    maxId = Math.max(maxId, id);
                    byId.putIfAbsent(id, o.owner().get());
                }
            }
            t.inputs().forEach(i -> i.owner().ifPresent(a -> byId.putIfAbsent(cs.addressId(a).orElse(-1), a)));
        }
        for (int id : byId.keySet()) {
            maxId = Math.max(maxId, id);
        }
        Set<Integer> memberIds = new java.util.HashSet<>();
        members.forEach(a -> cs.addressId(a).ifPresent(memberIds::add));
        Clusterer clusterer = Clusterer.standard(new UnionFind(maxId + 1));
        List<Link> links = new ArrayList<>();
        for (UtxoTransaction t : txs) {
            TransactionClustering one = new TransactionClustering(clusterer, cs, a -> cs.addressId(a).orElse(-1), seenBefore(cs, t));
            for (Clusterer.Link l : one.accept(t)) {
                // A member's transaction joins other entities too (the coins it was paid with): only this entity's links.
                if (!memberIds.contains(l.a()) || !memberIds.contains(l.b())) {
                    continue;
                }
                links.add(new Link(byId.get(l.a()).shown(), byId.get(l.b()).shown(), l.reason().equals("multi_input")
                        ? "common input (spent together)" : "change (named by at least two change heuristics)", t.txid().hex(), t.block().height()));
            }
        }
        return links;
    }

    /**
     * The highest owner id met before {@code t} in the clustering run: owner ids are handed out in order of first
     * appearance, so the outputs whose address first appears in {@code t} are exactly those from the smallest such id on.
     */
    private static int seenBefore(ChainStore cs, UtxoTransaction t) {
        int firstNew = Integer.MAX_VALUE;
        for (TxOutput o : t.outputs()) {
            if (o.owner().isEmpty()) {
                continue;
            }
            List<Hash256> history = cs.transactionsOf(o.owner().get());
            if (!history.isEmpty() && history.getFirst().equals(t.txid())) {
                firstNew = Math.min(firstNew, cs.addressId(o.owner().get()).orElse(Integer.MAX_VALUE));
            }
        }
        return firstNew == Integer.MAX_VALUE ? Integer.MAX_VALUE - 1 : firstNew - 1;
    }
}
