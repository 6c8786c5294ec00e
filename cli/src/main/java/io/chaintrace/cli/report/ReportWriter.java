package io.chaintrace.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chaintrace.graph.GraphExport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    private static final ObjectMapper SCRIPT_JSON = new ObjectMapper();

    static {
        SCRIPT_JSON.getFactory().setCharacterEscapes(new HtmlEscapes());
    }
    /** The WebJar's own record of its version, which names the folder cytoscape.js is in. */
    static final String CYTOSCAPE_POM = "META-INF/maven/org.webjars.npm/cytoscape/pom.properties";

    /** The files written. */
    public record Written(Path html, Path json, Path edgesCsv, Path endpointsCsv, Path graphml, Path gexf, Path accountCsv) {
        public List<Path> all() {
            return List.of(html, json, edgesCsv, endpointsCsv, graphml, gexf, accountCsv);
        }
    }

    private ReportWriter() {
    }

    /**
     * Writes every format into {@code dir} as {@code report.html}, {@code report.json}, {@code edges.csv}, ...: first
     * into a temporary directory beside it, then each file moved into place, so a failure (a full disk) leaves no
     * half-written report. A symbolic link is never followed or written through; a report already in {@code dir} is
     * replaced only when {@code replace} is set.
     *
     * @throws IllegalArgumentException when {@code dir} (or a file the report would replace) is a link, or holds a
     *                                  report and {@code replace} is not set
     * @throws UncheckedIOException     when the files cannot be written
     */
    public static Written write(CaseReport report, Path dir, boolean replace) {
        Written f = new Written(dir.resolve("report.html"), dir.resolve("report.json"), dir.resolve("edges.csv"),
                dir.resolve("endpoints.csv"), dir.resolve("flow.graphml"), dir.resolve("flow.gexf"), dir.resolve("account.csv"));
        if (Files.isSymbolicLink(dir)) {
            throw new IllegalArgumentException("--report " + dir + " is a symbolic link: a report is written into a directory of its own");
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("--report " + dir + " is a file, not a directory");
        }
        for (Path p : f.all()) {
            if (Files.isSymbolicLink(p)) {
                throw new IllegalArgumentException(p + " is a symbolic link: the report does not write through it (remove it first)");
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !replace) {
                throw new IllegalArgumentException(dir + " already holds a report (" + p.getFileName() + "); rerun with --force to"
                        + " replace it, or choose another --report directory");
            }
        }
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempDirectory(dir, ".report-");
            Files.writeString(tmp.resolve("report.html"), html(report));
            Files.writeString(tmp.resolve("report.json"), json(report));
            Files.writeString(tmp.resolve("edges.csv"), edgesCsv(report));
            Files.writeString(tmp.resolve("endpoints.csv"), endpointsCsv(report));
            Files.writeString(tmp.resolve("account.csv"), accountCsv(report));
            try (Writer w = Files.newBufferedWriter(tmp.resolve("flow.graphml"))) {
                graphml(report, w);
            }
            try (Writer w = Files.newBufferedWriter(tmp.resolve("flow.gexf"))) {
                gexf(report, w);
            }
            for (Path p : f.all()) {
                // A rename replaces a link itself, never the file it points to.
                Files.move(tmp.resolve(p.getFileName()), p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write the report into " + dir + ": " + e.getMessage(), e));
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try (var files = Files.list(tmp)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // left for the user to remove; the report itself is complete or absent
        }
    }

    public static String json(CaseReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    /**
     * The report's JSON for inlining in a {@code <script>} element: {@code <}, {@code >} and {@code &} as
     * {@code \\u} escapes, so no label can end the element ({@code </script>}) or open an HTML comment
     * ({@code <!--}, which changes how the script's end is found), and U+2028/U+2029, which end a JavaScript line.
     */
    static String scriptJson(CaseReport report) {
        try {
            return SCRIPT_JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    /** Jackson's escapes for JSON inlined in HTML. */
    private static final class HtmlEscapes extends CharacterEscapes {
        private final int[] codes = standardAsciiEscapesForJSON();

        HtmlEscapes() {
            for (char c : new char[] {'<', '>', '&', '\''}) {
                codes[c] = CharacterEscapes.ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return codes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 ? new SerializedString("\\u2028") : ch == 0x2029 ? new SerializedString("\\u2029") : null;
        }
    }

    /** The page: the template with cytoscape.js and the report's JSON inlined. */
    public static String html(CaseReport report) throws IOException {
        String template = resource(ReportWriter.class.getClassLoader(), "io/chaintrace/cli/report/report.html");
        String data = scriptJson(report);
        return template.replace("{{TITLE}}", escape(report.title())).replace("{{CYTOSCAPE}}", cytoscape()).replace("{{DATA}}", data);
    }

    /** cytoscape.js from its webjar: pages carry it inline, so they work offline and load nothing from elsewhere. */
    public static String cytoscape() throws IOException {
        java.util.Properties webjar = new java.util.Properties();
        webjar.load(new java.io.StringReader(resource(ReportWriter.class.getClassLoader(), CYTOSCAPE_POM)));
        return resource(ReportWriter.class.getClassLoader(),
                "META-INF/resources/webjars/cytoscape/" + webjar.getProperty("version") + "/dist/cytoscape.min.js");
    }

    public static String edgesCsv(CaseReport report) {
        StringBuilder sb = new StringBuilder("leg,chain,asset,policy,hop,block,time,transaction,from,from_entity,to,to_entity,taint,taint_units,value_units\n");
        for (CaseReport.Leg l : report.legs()) {
            Map<String, CaseReport.Node> nodes = new LinkedHashMap<>();
            l.nodes().forEach(n -> nodes.put(n.id(), n));
            for (CaseReport.Edge e : l.edges()) {
                sb.append(String.join(",", csv(l.name()), csv(l.chain()), csv(l.asset()), csv(l.policy()), Integer.toString(e.hop()),
                        Integer.toString(e.block()), Long.toString(e.time()), csv(e.tx()), csv(address(e.source())),
                        csv(entity(nodes, e.source())), csv(address(e.target())), csv(entity(nodes, e.target())), csv(e.display()),
                        csv(e.taint()), csv(e.value()))).append('\n');
            }
        }
        return sb.toString();
    }

    /** Each leg's account, line by line as the page and trace --json have it ({@code key} is the JSON field). */
    public static String accountCsv(CaseReport report) {
        StringBuilder sb = new StringBuilder("leg,chain,asset,policy,key,line,amount,amount_units,uncertain\n");
        for (CaseReport.Leg l : report.legs()) {
            sb.append(String.join(",", csv(l.name()), csv(l.chain()), csv(l.asset()), csv(l.policy()), "seeded", "seeded", csv(l.seededDisplay()),
                    csv(l.seeded()), "false")).append('\n');
            for (CaseReport.AccountRow r : l.accountRows()) {
                sb.append(String.join(",", csv(l.name()), csv(l.chain()), csv(l.asset()), csv(l.policy()), csv(r.key()), csv(r.label()),
                        csv(r.display()), csv(r.units()), Boolean.toString(r.uncertain()))).append('\n');
            }
        }
        return sb.toString();
    }

    public static String endpointsCsv(CaseReport report) {
        StringBuilder sb = new StringBuilder("leg,chain,asset,policy,entity,category,amount,amount_units,transfers\n");
        for (CaseReport.Leg l : report.legs()) {
            for (CaseReport.Endpoint e : l.endpoints()) {
                sb.append(String.join(",", csv(l.name()), csv(l.chain()), csv(l.asset()), csv(l.policy()), csv(e.entity()),
                        csv(e.category()), csv(e.display()), csv(e.amount()), Integer.toString(e.transfers()))).append('\n');
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

    /**
     * The report's flow graph at address level in a graph format (graphml, gexf, dot, or JGraphT's json): what {@code trace
     * --format} prints for an Ethereum trace, with the same attributes as the report's files (taint exact as text and in
     * coins as the weight, block, time, hop, asset).
     */
    public static void exportGraph(CaseReport report, String format, Writer out) {
        switch (format) {
            case "graphml" -> graphml(report, out);
            case "gexf" -> gexf(report, out);
            case "dot", "json", "jgrapht-json" -> {
                Map<String, CaseReport.Node> nodes = nodes(report);
                Map<String, String> ids = new java.util.HashMap<>();
                java.util.function.Function<String, String> id = v -> ids.computeIfAbsent(v, k -> "n" + ids.size());
                java.util.function.Function<String, Map<String, Attribute>> vertex = v -> {
                    Map<String, Attribute> m = new LinkedHashMap<>(vertexAttributes(nodes.get(v)));
                    m.put("label", text(nodes.get(v) == null ? v : nodes.get(v).label()));
                    return m;
                };
                java.util.function.Function<GraphEdge, Map<String, Attribute>> edge = e -> {
                    Map<String, Attribute> m = new LinkedHashMap<>(edgeAttributes(e));
                    m.put("label", text(e.edge.display() + " " + e.edge.asset()));
                    return m;
                };
                if (format.equals("dot")) {
                    org.jgrapht.nio.dot.DOTExporter<String, GraphEdge> dot = new org.jgrapht.nio.dot.DOTExporter<>(id);
                    dot.setVertexAttributeProvider(vertex);
                    dot.setEdgeAttributeProvider(edge);
                    dot.exportGraph(graph(report), out);
                } else {
                    org.jgrapht.nio.json.JSONExporter<String, GraphEdge> json = new org.jgrapht.nio.json.JSONExporter<>(id);
                    json.setVertexAttributeProvider(vertex);
                    json.setEdgeAttributeProvider(edge);
                    json.exportGraph(graph(report), out);
                }
            }
            default -> throw new IllegalArgumentException("unknown graph format '" + format + "' (graphml, gexf, dot, jgrapht-json)");
        }
    }

    static void graphml(CaseReport report, Writer out) {
        Map<String, CaseReport.Node> nodes = nodes(report);
        GraphMLExporter<String, GraphEdge> x = new GraphMLExporter<>(id -> id);
        x.setVertexAttributeProvider(id -> vertexAttributes(nodes.get(id)));
        x.setEdgeAttributeProvider(ReportWriter::edgeAttributes);
        for (String a : List.of("label", "kind", "entity", "category", "chain", "address")) {
            x.registerAttribute(a, GraphMLExporter.AttributeCategory.NODE, org.jgrapht.nio.AttributeType.STRING);
        }
        // taint_units is exact (wei can exceed a long): a string; taint, the same in coins, and the times are numbers.
        for (String a : List.of("tx", "asset", "taint_units", "leg")) {
            x.registerAttribute(a, GraphMLExporter.AttributeCategory.EDGE, org.jgrapht.nio.AttributeType.STRING);
        }
        x.registerAttribute("taint", GraphMLExporter.AttributeCategory.EDGE, org.jgrapht.nio.AttributeType.DOUBLE);
        x.registerAttribute("hop", GraphMLExporter.AttributeCategory.EDGE, org.jgrapht.nio.AttributeType.INT);
        x.registerAttribute("block", GraphMLExporter.AttributeCategory.EDGE, org.jgrapht.nio.AttributeType.INT);
        x.registerAttribute("time", GraphMLExporter.AttributeCategory.EDGE, org.jgrapht.nio.AttributeType.LONG);
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
        for (String a : List.of("tx", "asset", "taint_units", "leg")) {
            x.registerAttribute(a, GEXFExporter.AttributeCategory.EDGE, org.jgrapht.nio.gexf.GEXFAttributeType.STRING);
        }
        x.registerAttribute("taint", GEXFExporter.AttributeCategory.EDGE, org.jgrapht.nio.gexf.GEXFAttributeType.DOUBLE);
        x.registerAttribute("hop", GEXFExporter.AttributeCategory.EDGE, org.jgrapht.nio.gexf.GEXFAttributeType.INTEGER);
        x.registerAttribute("block", GEXFExporter.AttributeCategory.EDGE, org.jgrapht.nio.gexf.GEXFAttributeType.INTEGER);
        x.registerAttribute("time", GEXFExporter.AttributeCategory.EDGE, org.jgrapht.nio.gexf.GEXFAttributeType.LONG);
        // The taint in coins as each edge's weight: Gephi sizes edges by it.
        x.setParameter(GEXFExporter.Parameter.EXPORT_EDGE_WEIGHTS, true);
        java.io.StringWriter text = new java.io.StringWriter();
        x.exportGraph(graph(report), text);
        Map<String, Long> times = new java.util.HashMap<>();
        ids.forEach((e, id) -> times.put(id, e.edge.time()));
        try {
            out.write(timeline(text.toString(), times));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.regex.Pattern EDGE_ID = java.util.regex.Pattern.compile("<edge id=\"([^\"]+)\"");

    /**
     * The graph made dynamic for Gephi's timeline: {@code mode="dynamic"} with each edge starting at its block time (unix
     * seconds), so playing the timeline shows the money moving. The exporter writes a static graph; the two XML attributes
     * are added to what it wrote.
     */
    static String timeline(String gexf, Map<String, Long> edgeTimes) {
        String dynamic = gexf.replaceFirst("<graph ", "<graph mode=\"dynamic\" timeformat=\"double\" ");
        java.util.regex.Matcher m = EDGE_ID.matcher(dynamic);
        StringBuilder sb = new StringBuilder(dynamic.length() + 24 * edgeTimes.size());
        while (m.find()) {
            Long t = edgeTimes.get(m.group(1));
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(m.group() + (t == null ? "" : " start=\"" + t + ".0\"")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static Map<String, Attribute> vertexAttributes(CaseReport.Node n) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        if (n != null) {
            m.put("label", text(n.label()));
            m.put("kind", text(n.kind()));
            m.put("entity", text(n.entity()));
            m.put("category", text(n.category()));
            m.put("chain", text(n.chain()));
            m.put("address", text(n.address()));
        }
        return m;
    }

    /** A string attribute as XML 1.0 can hold it: control characters (but tab and line ends) become U+FFFD. */
    private static Attribute text(String s) {
        return DefaultAttribute.createAttribute(GraphExport.xmlSafe(s));
    }

    private static Map<String, Attribute> edgeAttributes(GraphEdge e) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        m.put("tx", text(e.edge.tx()));
        m.put("asset", text(e.edge.asset()));
        m.put("taint", DefaultAttribute.createAttribute(Double.parseDouble(e.edge.display())));
        m.put("block", DefaultAttribute.createAttribute(e.edge.block()));
        m.put("time", DefaultAttribute.createAttribute(e.edge.time()));
        m.put("taint_units", text(e.edge.taint()));
        m.put("leg", text(e.leg.name()));
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

    /**
     * One CSV cell (RFC 4180 quoting). A cell that a spreadsheet would run as a formula (starting with {@code =},
     * {@code +}, {@code -}, {@code @}, a tab or a carriage return; OWASP, "CSV Injection") gets a leading {@code '},
     * which shows as text; labels come from other people's files.
     */
    static String csv(String s) {
        String v = s.isEmpty() || "=+-@\t\r".indexOf(s.charAt(0)) < 0 ? s : "'" + s;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
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
