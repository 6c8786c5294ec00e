package io.chaintrace.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedWeightedPseudograph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.gexf.GEXFExporter;
import org.jgrapht.nio.graphml.GraphMLExporter;

/**
 * Writes a {@link CaseReport}: one self-contained HTML page (the report's data and cytoscape.js
 * inlined, so it opens offline and can be mailed), JSON, CSV (edges, endpoints), GraphML and GEXF.
 */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The WebJar's own record of its version, which names the folder cytoscape.js is in. */
    static final String CYTOSCAPE_POM = "META-INF/maven/org.webjars.npm/cytoscape/pom.properties";

    /** The files written. */
    public record Written(Path html, Path json, Path edgesCsv, Path endpointsCsv, Path graphml, Path gexf) {
        public List<Path> all() {
            return List.of(html, json, edgesCsv, endpointsCsv, graphml, gexf);
        }
    }

    private ReportWriter() {
    }

    /** Writes every format into {@code dir} as {@code report.html}, {@code report.json}, {@code edges.csv}, ... */
    public static Written write(CaseReport report, Path dir) {
        try {
            Files.createDirectories(dir);
            Written f = new Written(dir.resolve("report.html"), dir.resolve("report.json"), dir.resolve("edges.csv"), dir.resolve("endpoints.csv"),
                    dir.resolve("flow.graphml"), dir.resolve("flow.gexf"));
            Files.writeString(f.html(), html(report));
            Files.writeString(f.json(), json(report));
            Files.writeString(f.edgesCsv(), edgesCsv(report));
            Files.writeString(f.endpointsCsv(), endpointsCsv(report));
            try (Writer w = Files.newBufferedWriter(f.graphml())) {
                graphml(report, w);
            }
            try (Writer w = Files.newBufferedWriter(f.gexf())) {
                gexf(report, w);
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String json(CaseReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    /** The page: the template with cytoscape.js and the report's JSON inlined. */
    public static String html(CaseReport report) throws IOException {
        String template = resource(ReportWriter.class.getClassLoader(), "io/chaintrace/cli/report/report.html");
        java.util.Properties webjar = new java.util.Properties();
        webjar.load(new java.io.StringReader(resource(ReportWriter.class.getClassLoader(), CYTOSCAPE_POM)));
        String cytoscape = resource(ReportWriter.class.getClassLoader(),
                "META-INF/resources/webjars/cytoscape/" + webjar.getProperty("version") + "/dist/cytoscape.min.js");
        // Inside <script>, only "</" can end the element early; JSON allows "<\/" for it.
        String data = json(report).replace("</", "<\\/");
        return template.replace("{{TITLE}}", escape(report.title())).replace("{{CYTOSCAPE}}", cytoscape).replace("{{DATA}}", data);
    }

    public static String edgesCsv(CaseReport report) {
        StringBuilder sb = new StringBuilder("leg,chain,asset,policy,hop,block,time,transaction,from,from_entity,to,to_entity,taint,taint_units,value_units\n");
        for (CaseReport.Leg l : report.legs()) {
            Map<String, CaseReport.Node> nodes = new LinkedHashMap<>();
            l.nodes().forEach(n -> nodes.put(n.id(), n));
            for (CaseReport.Edge e : l.edges()) {
                sb.append(String.join(",", csv(l.name()), l.chain(), csv(l.asset()), l.policy(), Integer.toString(e.hop()), Integer.toString(e.block()),
                        Long.toString(e.time()), e.tx(), address(e.source()), csv(entity(nodes, e.source())), address(e.target()),
                        csv(entity(nodes, e.target())), e.display(), e.taint(), e.value())).append('\n');
            }
        }
        return sb.toString();
    }

    public static String endpointsCsv(CaseReport report) {
        StringBuilder sb = new StringBuilder("leg,chain,asset,policy,entity,category,amount,amount_units,transfers\n");
        for (CaseReport.Leg l : report.legs()) {
            for (CaseReport.Endpoint e : l.endpoints()) {
                sb.append(String.join(",", csv(l.name()), l.chain(), csv(l.asset()), l.policy(), csv(e.entity()), e.category(), e.display(),
                        e.amount(), Integer.toString(e.transfers()))).append('\n');
            }
        }
        return sb.toString();
    }

    /** One edge of the exported graph; identity, not equality, as JGraphT needs for parallel edges. */
    static final class GraphEdge {
        final CaseReport.Edge edge;
        final CaseReport.Leg leg;

        GraphEdge(CaseReport.Edge edge, CaseReport.Leg leg) {
            this.edge = edge;
            this.leg = leg;
        }
    }

    static Graph<String, GraphEdge> graph(CaseReport report) {
        Graph<String, GraphEdge> g = new DirectedWeightedPseudograph<>(GraphEdge.class);
        for (CaseReport.Leg l : report.legs()) {
            l.nodes().forEach(n -> g.addVertex(n.id()));
            for (CaseReport.Edge e : l.edges()) {
                g.addVertex(e.source());
                g.addVertex(e.target());
                GraphEdge ge = new GraphEdge(e, l);
                g.addEdge(e.source(), e.target(), ge);
                g.setEdgeWeight(ge, Double.parseDouble(e.display()));
            }
        }
        return g;
    }

    static void graphml(CaseReport report, Writer out) {
        Map<String, CaseReport.Node> nodes = nodes(report);
        GraphMLExporter<String, GraphEdge> x = new GraphMLExporter<>(id -> id);
        x.setVertexAttributeProvider(id -> vertexAttributes(nodes.get(id)));
        x.setEdgeAttributeProvider(ReportWriter::edgeAttributes);
        for (String a : List.of("label", "kind", "entity", "category", "chain", "address")) {
            x.registerAttribute(a, GraphMLExporter.AttributeCategory.NODE, org.jgrapht.nio.AttributeType.STRING);
        }
        for (String a : List.of("tx", "asset", "taint", "taint_units", "leg")) {
            x.registerAttribute(a, GraphMLExporter.AttributeCategory.EDGE, org.jgrapht.nio.AttributeType.STRING);
        }
        x.registerAttribute("hop", GraphMLExporter.AttributeCategory.EDGE, org.jgrapht.nio.AttributeType.INT);
        x.setExportEdgeWeights(true);
        x.exportGraph(graph(report), out);
    }

    static void gexf(CaseReport report, Writer out) {
        Map<String, CaseReport.Node> nodes = nodes(report);
        // An id per edge, the same however often the exporter asks.
        Map<GraphEdge, String> ids = new java.util.IdentityHashMap<>();
        GEXFExporter<String, GraphEdge> x = new GEXFExporter<>(id -> id, e -> ids.computeIfAbsent(e, k -> "e" + ids.size()));
        x.setVertexAttributeProvider(id -> vertexAttributes(nodes.get(id)));
        x.setEdgeAttributeProvider(ReportWriter::edgeAttributes);
        for (String a : List.of("kind", "entity", "category", "chain", "address")) {
            x.registerAttribute(a, GEXFExporter.AttributeCategory.NODE, org.jgrapht.nio.gexf.GEXFAttributeType.STRING);
        }
        for (String a : List.of("tx", "asset", "taint", "taint_units", "leg")) {
            x.registerAttribute(a, GEXFExporter.AttributeCategory.EDGE, org.jgrapht.nio.gexf.GEXFAttributeType.STRING);
        }
        x.registerAttribute("hop", GEXFExporter.AttributeCategory.EDGE, org.jgrapht.nio.gexf.GEXFAttributeType.INTEGER);
        x.exportGraph(graph(report), out);
    }

    private static Map<String, Attribute> vertexAttributes(CaseReport.Node n) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        if (n != null) {
            m.put("label", DefaultAttribute.createAttribute(n.label()));
            m.put("kind", DefaultAttribute.createAttribute(n.kind()));
            m.put("entity", DefaultAttribute.createAttribute(n.entity()));
            m.put("category", DefaultAttribute.createAttribute(n.category()));
            m.put("chain", DefaultAttribute.createAttribute(n.chain()));
            m.put("address", DefaultAttribute.createAttribute(n.address()));
        }
        return m;
    }

    private static Map<String, Attribute> edgeAttributes(GraphEdge e) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        m.put("tx", DefaultAttribute.createAttribute(e.edge.tx()));
        m.put("asset", DefaultAttribute.createAttribute(e.edge.asset()));
        m.put("taint", DefaultAttribute.createAttribute(e.edge.display()));
        m.put("taint_units", DefaultAttribute.createAttribute(e.edge.taint()));
        m.put("leg", DefaultAttribute.createAttribute(e.leg.name()));
        m.put("hop", DefaultAttribute.createAttribute(e.edge.hop()));
        return m;
    }

    private static Map<String, CaseReport.Node> nodes(CaseReport report) {
        Map<String, CaseReport.Node> m = new LinkedHashMap<>();
        report.legs().forEach(l -> l.nodes().forEach(n -> m.putIfAbsent(n.id(), n)));
        return m;
    }

    private static String entity(Map<String, CaseReport.Node> nodes, String id) {
        CaseReport.Node n = nodes.get(id);
        return n == null ? "" : n.entity();
    }

    private static String address(String id) {
        return id.substring(id.indexOf(':') + 1);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String resource(ClassLoader cl, String name) throws IOException {
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
