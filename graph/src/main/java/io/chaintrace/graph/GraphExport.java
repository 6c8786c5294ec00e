package io.chaintrace.graph;

import io.chaintrace.core.trace.TraceGraph;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.AttributeType;
import org.jgrapht.nio.BaseExporter;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.GraphExporter;
import org.jgrapht.nio.dot.DOTExporter;
import org.jgrapht.nio.gexf.GEXFAttributeType;
import org.jgrapht.nio.gexf.GEXFExporter;
import org.jgrapht.nio.graphml.GraphMLExporter;
import org.jgrapht.nio.json.JSONExporter;

/** Writes a trace graph for graph tools (Gephi, yEd, Graphviz) with jgrapht-io. */
public final class GraphExport {
    private GraphExport() {
    }

    /** The formats jgrapht-io writes. */
    public enum Format {
        GRAPHML, GEXF, DOT, JSON;

        public static Format of(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown graph format '" + name + "' (graphml, gexf, dot, json)", e);
            }
        }
    }

    public static void write(Graph<TraceGraph.Node, TraceGraph.Edge> g, Format format, Writer out) {
        GraphExporter<TraceGraph.Node, TraceGraph.Edge> exporter = switch (format) {
            case GRAPHML -> {
                GraphMLExporter<TraceGraph.Node, TraceGraph.Edge> x = new GraphMLExporter<>(n -> xmlSafe(n.id()));
                x.registerAttribute("label", GraphMLExporter.AttributeCategory.NODE, AttributeType.STRING);
                x.registerAttribute("kind", GraphMLExporter.AttributeCategory.NODE, AttributeType.STRING);
                x.registerAttribute("taint", GraphMLExporter.AttributeCategory.EDGE, AttributeType.LONG);
                x.registerAttribute("value", GraphMLExporter.AttributeCategory.EDGE, AttributeType.LONG);
                x.registerAttribute("time", GraphMLExporter.AttributeCategory.EDGE, AttributeType.LONG);
                x.registerAttribute("outpoint", GraphMLExporter.AttributeCategory.EDGE, AttributeType.STRING);
                x.setExportEdgeWeights(true);
                yield x;
            }
            case GEXF -> {
                GEXFExporter<TraceGraph.Node, TraceGraph.Edge> x = new GEXFExporter<>(n -> xmlSafe(n.id()), new EdgeIds());
                x.registerAttribute("kind", GEXFExporter.AttributeCategory.NODE, GEXFAttributeType.STRING);
                x.registerAttribute("taint", GEXFExporter.AttributeCategory.EDGE, GEXFAttributeType.LONG);
                x.registerAttribute("value", GEXFExporter.AttributeCategory.EDGE, GEXFAttributeType.LONG);
                x.registerAttribute("time", GEXFExporter.AttributeCategory.EDGE, GEXFAttributeType.LONG);
                x.registerAttribute("outpoint", GEXFExporter.AttributeCategory.EDGE, GEXFAttributeType.STRING);
                yield x;
            }
            case DOT -> new DOTExporter<>(n -> "\"" + n.id().replace("\"", "'") + "\"");
            case JSON -> new JSONExporter<>(TraceGraph.Node::id);
        };
        if (exporter instanceof BaseExporter<?, ?>) {
            @SuppressWarnings("unchecked")
            BaseExporter<TraceGraph.Node, TraceGraph.Edge> base = (BaseExporter<TraceGraph.Node, TraceGraph.Edge>) exporter;
            base.setVertexAttributeProvider(GraphExport::nodeAttributes);
            base.setEdgeAttributeProvider(GraphExport::edgeAttributes);
        }
        exporter.exportGraph(g, out);
    }

    private static Map<String, Attribute> nodeAttributes(TraceGraph.Node n) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        m.put("label", DefaultAttribute.createAttribute(xmlSafe(n.label())));
        m.put("kind", DefaultAttribute.createAttribute(n.kind().name().toLowerCase(Locale.ROOT)));
        return m;
    }

    private static Map<String, Attribute> edgeAttributes(TraceGraph.Edge e) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        m.put("taint", DefaultAttribute.createAttribute(e.taint()));
        m.put("value", DefaultAttribute.createAttribute(e.value()));
        m.put("time", DefaultAttribute.createAttribute(e.time()));
        m.put("outpoint", DefaultAttribute.createAttribute(e.outpoint()));
        m.put("label", DefaultAttribute.createAttribute(e.taint() + " / " + e.value()));
        return m;
    }

    /**
     * Text as XML 1.0 can hold it (GraphML and GEXF are XML): control characters other than tab and line ends, lone
     * surrogates and U+FFFE/U+FFFF become U+FFFD. Labels come from other people's files; one such character made
     * the whole export unreadable.
     */
    public static String xmlSafe(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c < 0xD800 || c > 0xDFFF && c < 0xFFFE
                    || Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            if (!ok && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(ok ? c : '\uFFFD');
            }
        }
        return b == null ? s : b.toString();
    }

    /** Edge ids in the order edges are first asked for. */
    private static final class EdgeIds implements java.util.function.Function<TraceGraph.Edge, String> {
        private final Map<TraceGraph.Edge, String> ids = new java.util.IdentityHashMap<>();

        @Override
        public String apply(TraceGraph.Edge e) {
            return ids.computeIfAbsent(e, k -> "e" + ids.size());
        }
    }
}
