package io.chaintrace.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jgrapht.Graph;
import org.junit.jupiter.api.Test;

/**
 * A small chain with an exchange and a round trip:
 * <pre>
 *   t0 coinbase -> thief 100
 *   t1 thief 100 -> mule 60, exchange 40                  (40 reaches the exchange directly)
 *   t2 mule 60 + clean 60 -> exchange 30, thief 90        (a round trip back to the thief)
 * </pre>
 */
class TraceGraphTest {
    static final Address THIEF = UtxoTracePropertiesTest.owner(1);
    static final Address MULE = UtxoTracePropertiesTest.owner(2);
    static final Address EXCHANGE = UtxoTracePropertiesTest.owner(3);
    static final Address CLEAN = UtxoTracePropertiesTest.owner(4);

    static Hash256 h(int n) {
        return UtxoTracePropertiesTest.hash(77, n);
    }

    static TxOutput out(int i, long v, Address a) {
        return new TxOutput(i, v, ScriptKind.P2PK, Optional.of(a));
    }

    static MemoryLedger ledger() {
        MemoryLedger l = new MemoryLedger();
        l.add(h(0), new BlockRef(1, h(100), 1000), 0, List.of(Outpoint.COINBASE), List.of(out(0, 100, THIEF)));
        l.add(h(9), new BlockRef(1, h(100), 1000), 1, List.of(Outpoint.COINBASE), List.of(out(0, 60, CLEAN)));
        l.add(h(1), new BlockRef(2, h(101), 2000), 0, List.of(new Outpoint(h(0), 0)), List.of(out(0, 60, MULE), out(1, 40, EXCHANGE)));
        l.add(h(2), new BlockRef(3, h(102), 3000), 0, List.of(new Outpoint(h(1), 0), new Outpoint(h(9), 0)),
                List.of(out(0, 30, EXCHANGE), out(1, 90, THIEF)));
        l.label(new Label(EXCHANGE, "Exchange E", LabelCategory.EXCHANGE, "test", 1.0));
        return l;
    }

    static TraceResult trace(TaintPolicy p) {
        return new UtxoTracer(ledger()).trace(new TraceRequest(List.of(new Seed.OutpointSeed(new Outpoint(h(0), 0))), p, 10));
    }

    @Test
    void endpointsGetTheirTaintPerPolicyAndTheAccountBalances() {
        // Haircut: t2 is half tainted (60 of 120): the exchange gets 40 + 15, the thief 45 back.
        TraceResult haircut = trace(new HaircutPolicy());
        assertEquals(Map.of("Exchange E", 55L), haircut.byEntity());
        assertEquals(45L, haircut.account().unspent());
        assertTrue(haircut.balanced());
        // FIFO: t2's line is [mule 60 tainted][clean 60]: the exchange's 30 come first: all tainted; the thief gets 30.
        TraceResult fifo = trace(new FifoPolicy());
        assertEquals(Map.of("Exchange E", 70L), fifo.byEntity());
        // TIHO: the 60 tainted go to the highest output first, the thief's 90.
        assertEquals(Map.of("Exchange E", 40L), trace(new TihoPolicy()).byEntity());
    }

    @Test
    void transactionGraphAndMaxFlow() {
        TraceResult r = trace(new HaircutPolicy());
        Graph<TraceGraph.Node, TraceGraph.Edge> g = TraceGraph.of(r, TraceGraph.Level.TRANSACTION);
        // seed -> t1; t1 -> t2 (mule), t1 -> exchange; t2 -> exchange, t2 -> unspent (thief)
        assertEquals(5, g.edgeSet().size());
        assertEquals(Set.of(TraceGraph.NodeKind.SEED, TraceGraph.NodeKind.TRANSACTION, TraceGraph.NodeKind.ENDPOINT, TraceGraph.NodeKind.UNSPENT),
                g.vertexSet().stream().map(TraceGraph.Node::kind).collect(java.util.stream.Collectors.toSet()));
        // Capacities are whole output values: 40 directly, and min(60 via the mule, 30 to the exchange) = 30.
        assertEquals(Map.of("Exchange E", 70L), TraceGraph.maxFlowToEndpoints(r));
        assertTrue(TraceGraph.maxFlowToEndpoints(r).get("Exchange E") >= r.byEntity().get("Exchange E"), "an upper bound");
    }

    @Test
    void addressGraphFindsTheRoundTrip() {
        TraceResult r = trace(new HaircutPolicy());
        Graph<TraceGraph.Node, TraceGraph.Edge> g = TraceGraph.of(r, TraceGraph.Level.ADDRESS);
        long taintInto = g.edgeSet().stream().filter(e -> g.getEdgeTarget(e).label().equals(EXCHANGE.text())).mapToLong(TraceGraph.Edge::taint).sum();
        assertEquals(55, taintInto);
        List<Set<TraceGraph.Node>> trips = TraceGraph.roundTrips(r);
        assertEquals(1, trips.size());
        assertEquals(Set.of(THIEF.text(), MULE.text()), trips.getFirst().stream().map(TraceGraph.Node::label).collect(java.util.stream.Collectors.toSet()));
    }

    /** At the entity level a labelled exchange was named "entity of <address>": it is named by its label. */
    @Test
    void entityLevelNamesALabelledEntityByItsLabel() {
        TraceResult r = trace(new HaircutPolicy());
        // The mule and the exchange's address are one entity (as clustering would find); the thief is alone.
        Graph<TraceGraph.Node, TraceGraph.Edge> g = TraceGraph.of(r, a -> a.equals(MULE) ? EXCHANGE : a);
        Set<String> labels = g.vertexSet().stream().map(TraceGraph.Node::label).collect(java.util.stream.Collectors.toSet());
        assertTrue(labels.contains("Exchange E"), labels.toString());
        assertTrue(labels.contains("entity of " + THIEF.text()), labels.toString());
        assertTrue(labels.stream().noneMatch(l -> l.equals("entity of " + EXCHANGE.text())), labels.toString());
    }
}
