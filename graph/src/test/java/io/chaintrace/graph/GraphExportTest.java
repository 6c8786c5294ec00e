package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.trace.MemoryLedger;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceGraph;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.graphml.GraphMLImporter;
import org.jgrapht.util.SupplierUtil;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** The trace graph written by jgrapht-io reads back with the same shape. */
class GraphExportTest {
    static Graph<TraceGraph.Node, TraceGraph.Edge> graph() {
        MemoryLedger l = ChainStoreTest.memoryChain();
        TraceResult r = new UtxoTracer(l).trace(new TraceRequest(List.of(new Seed.OutpointSeed(new Outpoint(ChainStoreTest.h(1), 0))),
                TaintPolicy.named("haircut"), 5));
        return TraceGraph.of(r, TraceGraph.Level.TRANSACTION);
    }

    static String export(GraphExport.Format f) {
        StringWriter w = new StringWriter();
        GraphExport.write(graph(), f, w);
        return w.toString();
    }

    @Test
    void graphMlReadsBackWithEveryNodeAndEdge() {
        Graph<TraceGraph.Node, TraceGraph.Edge> g = graph();
        Graph<String, Object> back = new DirectedPseudograph<>(SupplierUtil.createStringSupplier(), SupplierUtil.OBJECT_SUPPLIER, false);
        GraphMLImporter<String, Object> importer = new GraphMLImporter<>();
        importer.setSchemaValidation(false);
        importer.importGraph(back, new StringReader(export(GraphExport.Format.GRAPHML)));
        assertEquals(g.vertexSet().size(), back.vertexSet().size());
        assertEquals(g.edgeSet().size(), back.edgeSet().size());
        assertTrue(g.edgeSet().size() >= 2);
    }

    @Test
    void gexfIsWellFormedXmlWithTheEdges() throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(export(GraphExport.Format.GEXF))));
        assertEquals(graph().edgeSet().size(), d.getElementsByTagName("edge").getLength());
    }

    @Test
    void dotAndJsonNameEveryNode() {
        String dot = export(GraphExport.Format.DOT);
        String json = export(GraphExport.Format.JSON);
        for (TraceGraph.Node n : graph().vertexSet()) {
            assertTrue(dot.contains("\"" + n.id() + "\""), n.id());
            assertTrue(json.contains(n.id()), n.id());
        }
    }
}
