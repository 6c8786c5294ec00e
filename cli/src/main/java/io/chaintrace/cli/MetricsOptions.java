package io.chaintrace.cli;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-out FILE} and {@code --metrics-port P} for long commands (ingest, batch):
 * Micrometer meters in Prometheus' text format, written to a file when the command ends and served
 * on {@code http://127.0.0.1:P/metrics} while it runs. Without either, meters go to a registry
 * nobody reads.
 */
final class MetricsOptions {
    @Option(names = "--metrics-out", description = "Write the metrics (Prometheus text format) to this file when done.")
    Path out;

    @Option(names = "--metrics-port", description = "Serve the metrics on http://127.0.0.1:PORT/metrics while running (0: any free port).")
    Integer port;

    /** The registry and, when asked for, the server; closing writes the file and stops the server. */
    static final class Session implements AutoCloseable {
        private final MeterRegistry registry;
        private final HttpServer server;
        private final Path out;

        Session(MeterRegistry registry, HttpServer server, Path out) {
            this.registry = registry;
            this.server = server;
            this.out = out;
        }

        MeterRegistry registry() {
            return registry;
        }

        /** The port /metrics is served on, or -1. */
        int port() {
            return server == null ? -1 : server.getAddress().getPort();
        }

        @Override
        public void close() {
            try {
                if (out != null && registry instanceof PrometheusMeterRegistry p) {
                    Files.writeString(out, p.scrape());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write metrics to " + out, e);
            } finally {
                if (server != null) {
                    server.stop(0);
                }
                registry.close();
            }
        }
    }

    Session start() throws IOException {
        if (out == null && port == null) {
            return new Session(new SimpleMeterRegistry(), null, null);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("application", "chaintrace");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        HttpServer server = null;
        if (port != null) {
            // Loopback only: the metrics say what is being traced.
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/metrics", exchange -> {
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(body);
                }
            });
            server.start();
            System.err.println("metrics: http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
        }
        return new Session(registry, server, out);
    }
}
