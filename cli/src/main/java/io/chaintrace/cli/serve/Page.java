package io.chaintrace.cli.serve;

import io.chaintrace.cli.report.ReportWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The workspace's page and API description, from the jar's resources (cytoscape.js inlined, as in reports). */
final class Page {
    private Page() {
    }

    static String html() throws IOException {
        return resource("index.html").replace("{{CYTOSCAPE}}", ReportWriter.cytoscape());
    }

    static String resource(String name) {
        try (InputStream in = Page.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
