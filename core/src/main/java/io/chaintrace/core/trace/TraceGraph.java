package io.chaintrace.core.trace;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.trace.TraceResult.OutputState;
import io.chaintrace.core.trace.TraceResult.TaintedOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.alg.flow.EdmondsKarpMFImpl;
import org.jgrapht.graph.DefaultDirectedWeightedGraph;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.DirectedWeightedPseudograph;

/**
 * A trace as a JGraphT graph, in the direction value flowed: transaction level (a node per
 * transaction, an edge per tainted output from the transaction that created it to the one that
 * spent it or to where it stopped: an endpoint entity, an unspent output, a cut) or address level
 * (a node per owner; a transaction's tainted outputs are attributed to its tainted inputs' owners
 * in proportion to their taint). Edges carry the tainted amount, the output's value and the time.
 */
public final class TraceGraph {
    private TraceGraph() {
    }

    /** Which nodes the graph has. */
    public enum Level {
        TRANSACTION, ADDRESS,
        /** Owners grouped into entities (clustering); value moving inside one entity is left out. */
        ENTITY
    }

    /** What a node stands for. */
    public enum NodeKind {
        TRANSACTION, ADDRESS, ENDPOINT, UNSPENT, CUT, SEED
    }

    /** A node: a stable id for exports, what it is, and a label people can read. */
    public record Node(String id, NodeKind kind, String label) {
    }

    /** An edge: taint and value in base units, block time, the output it stands for (transaction level). Identity matters to JGraphT. */
    public static final class Edge {
        private final long taint;
        private final long value;
        private final long time;
        private final String outpoint;

        Edge(long taint, long value, long time, String outpoint) {
            this.taint = taint;
            this.value = value;
            this.time = time;
            this.outpoint = outpoint;
        }

        public long taint() {
            return taint;
        }

        public long value() {
            return value;
        }

        public long time() {
            return time;
        }

        public String outpoint() {
            return outpoint;
        }
    }

    /** The trace's graph at this level. */
    public static Graph<Node, Edge> of(TraceResult r, Level level) {
        if (level == Level.ENTITY) {
            throw new IllegalArgumentException("the entity level needs the entity of each address: of(result, entityOf)");
        }
        return level == Level.TRANSACTION ? transactions(r) : addresses(r, java.util.function.UnaryOperator.identity(), false);
    }

    /** Entity level: a node per entity ({@code entityOf} names an address's entity by one of its addresses). */
    public static Graph<Node, Edge> of(TraceResult r, java.util.function.UnaryOperator<Address> entityOf) {
        return addresses(r, entityOf, true);
    }

    private static Graph<Node, Edge> transactions(TraceResult r) {
        Graph<Node, Edge> g = new DirectedWeightedPseudograph<>(Edge.class);
        Map<String, Node> nodes = new HashMap<>();
        boolean forward = r.request().direction() == Direction.FORWARD;
        for (TaintedOutput o : r.outputs()) {
            if (o.taint().isClean()) {
                continue;
            }
            // Value flowed from the transaction that created the output to the one that spent it. The
            // side the trace came from is `via` (or the seed); the side it went on to is `next` when
            // followed, else where it stopped.
            Node cameFrom = o.via().map(h -> tx(nodes, h)).orElseGet(() -> seed(nodes, o));
            Node wentTo = o.state() == OutputState.FOLLOWED && o.next().isPresent() ? tx(nodes, o.next().get()) : terminal(nodes, o, r);
            Node creator = forward ? cameFrom : wentTo;
            Node consumer = forward ? wentTo : cameFrom;
            g.addVertex(creator);
            g.addVertex(consumer);
            Edge e = new Edge(o.taint().amount(), o.value(), o.time(), o.outpoint().toString());
            g.addEdge(creator, consumer, e);
            g.setEdgeWeight(e, o.taint().amount());
        }
        return g;
    }

    private static Node tx(Map<String, Node> nodes, Hash256 txid) {
        return nodes.computeIfAbsent("tx:" + txid.hex(), id -> new Node(id, NodeKind.TRANSACTION, txid.hex().substring(0, 12)));
    }

    private static Node seed(Map<String, Node> nodes, TaintedOutput o) {
        return nodes.computeIfAbsent("seed:" + o.outpoint(), id -> new Node(id, NodeKind.SEED, "seed " + o.outpoint().toString().substring(0, 12)));
    }

    private static Node terminal(Map<String, Node> nodes, TaintedOutput o, TraceResult r) {
        if (o.state() == OutputState.ENDPOINT) {
            String entity = r.endpoints().stream().filter(h -> h.outpoint().equals(o.outpoint())).map(TraceResult.EndpointHit::entity)
                    .findFirst().orElse("endpoint");
            return nodes.computeIfAbsent("entity:" + entity, id -> new Node(id, NodeKind.ENDPOINT, entity));
        }
        NodeKind kind = o.state() == OutputState.UNSPENT ? NodeKind.UNSPENT : NodeKind.CUT;
        String owner = o.owner().map(Address::text).orElse("no owner");
        return nodes.computeIfAbsent("out:" + o.outpoint(), id -> new Node(id, kind, owner + " (" + o.state().name().toLowerCase() + ")"));
    }

    private static Graph<Node, Edge> addresses(TraceResult r, java.util.function.UnaryOperator<Address> group, boolean entities) {
        Graph<Node, Edge> g = new DirectedWeightedPseudograph<>(Edge.class);
        Map<String, Node> nodes = new HashMap<>();
        // An entity holding a labelled address is named by its label (an exchange is "Binance", not "entity of 3QtfGH...").
        for (TraceResult.EndpointHit h : r.endpoints()) {
            String text = group.apply(h.address()).text();
            String prefix = entities ? "entity:" : "addr:";
            nodes.putIfAbsent(prefix + text, new Node(prefix + text, NodeKind.ADDRESS, entities ? h.entity() : text));
        }
        boolean forward = r.request().direction() == Direction.FORWARD;
        // Per transaction: the tainted outputs it consumed (arriving) and created (leaving), in value-flow direction.
        Map<Hash256, List<TaintedOutput>> in = new LinkedHashMap<>();
        Map<Hash256, List<TaintedOutput>> out = new LinkedHashMap<>();
        for (TaintedOutput o : r.outputs()) {
            if (o.taint().isClean()) {
                continue;
            }
            Node owner = owner(nodes, o, group, entities);
            g.addVertex(owner);
            Hash256 created = forward ? o.via().orElse(null) : o.next().orElse(null);
            Hash256 consumed = forward ? (o.state() == OutputState.FOLLOWED ? o.next().orElse(null) : null) : o.via().orElse(null);
            if (created != null) {
                out.computeIfAbsent(created, k -> new ArrayList<>()).add(o);
            }
            if (consumed != null) {
                in.computeIfAbsent(consumed, k -> new ArrayList<>()).add(o);
            }
        }
        for (Map.Entry<Hash256, List<TaintedOutput>> e : out.entrySet()) {
            List<TaintedOutput> sources = in.getOrDefault(e.getKey(), List.of());
            long[] weights = sources.stream().mapToLong(o -> o.taint().amount()).toArray();
            for (TaintedOutput o : e.getValue()) {
                long[] shares = HaircutPolicy.split(o.taint().amount(), weights);
                for (int i = 0; i < sources.size(); i++) {
                    Node from = owner(nodes, sources.get(i), group, entities);
                    Node to = owner(nodes, o, group, entities);
                    if (shares[i] > 0 && !(entities && from.equals(to))) {
                        Edge edge = new Edge(shares[i], o.value(), o.time(), o.outpoint().toString());
                        g.addEdge(from, to, edge);
                        g.setEdgeWeight(edge, shares[i]);
                    }
                }
            }
        }
        return g;
    }

    private static Node owner(Map<String, Node> nodes, TaintedOutput o, java.util.function.UnaryOperator<Address> group, boolean entities) {
        String text = o.owner().map(group).map(Address::text).orElse("no owner:" + o.outpoint());
        String prefix = entities ? "entity:" : "addr:";
        return nodes.computeIfAbsent(prefix + text, id -> new Node(id, NodeKind.ADDRESS, entities ? "entity of " + text : text));
    }

    /**
     * Maximum flow from the seeds to each endpoint entity over the traced transactions, with each
     * output's full value as its capacity (Edmonds-Karp): an upper bound on what could have
     * reached that service along the traced paths, whatever the policy.
     */
    public static Map<String, Long> maxFlowToEndpoints(TraceResult r) {
        Graph<Node, Edge> g = transactions(r);
        DefaultDirectedWeightedGraph<String, DefaultWeightedEdge> net = new DefaultDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        String source = "source";
        net.addVertex(source);
        for (Node n : g.vertexSet()) {
            net.addVertex(n.id());
        }
        for (Edge e : g.edgeSet()) {
            String a = g.getEdgeSource(e).id();
            String b = g.getEdgeTarget(e).id();
            if (a.equals(b)) {
                continue; // a loop carries nothing further
            }
            DefaultWeightedEdge fe = net.getEdge(a, b);
            if (fe == null) {
                fe = net.addEdge(a, b);
                net.setEdgeWeight(fe, 0);
            }
            net.setEdgeWeight(fe, net.getEdgeWeight(fe) + e.value());
        }
        for (Node n : g.vertexSet()) {
            if (n.kind() == NodeKind.SEED) {
                long out = g.outgoingEdgesOf(n).stream().mapToLong(Edge::value).sum();
                net.setEdgeWeight(net.addEdge(source, n.id()), out);
            }
        }
        Map<String, Long> flows = new LinkedHashMap<>();
        EdmondsKarpMFImpl<String, DefaultWeightedEdge> mf = new EdmondsKarpMFImpl<>(net);
        for (Node n : g.vertexSet()) {
            if (n.kind() == NodeKind.ENDPOINT) {
                flows.put(n.label(), Math.round(mf.getMaximumFlowValue(source, n.id())));
            }
        }
        return flows;
    }

    /** Groups of addresses that value went round between (strongly connected, Kosaraju): round trips. */
    public static List<Set<Node>> roundTrips(TraceResult r) {
        Graph<Node, Edge> g = addresses(r, java.util.function.UnaryOperator.identity(), false);
        List<Set<Node>> out = new ArrayList<>();
        for (Set<Node> c : new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets()) {
            Node any = c.iterator().next();
            if (c.size() > 1 || g.containsEdge(any, any)) {
                out.add(c);
            }
        }
        return out;
    }
}
