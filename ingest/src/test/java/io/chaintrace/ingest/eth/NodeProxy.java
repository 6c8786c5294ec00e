package io.chaintrace.ingest.eth;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A loopback HTTP endpoint in front of a real node: methods in {@code refused} are answered
 * "method not found" (as by providers that disable tracing), everything else is forwarded, and
 * {@code rewrite} may spoil the answer (malformed JSON).
 */
final class NodeProxy implements AutoCloseable {
    private final HttpServer server;
    /** Requests still to refuse with HTTP 429 (a rate-limited provider) before forwarding. */
    final java.util.concurrent.atomic.AtomicInteger rateLimited = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger refusedWith429 = new java.util.concurrent.atomic.AtomicInteger();

    NodeProxy(String upstream, Set<String> refused, UnaryOperator<String> rewrite) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        var json = JsonMapper.builder().build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refusedWith429.incrementAndGet();
                byte[] msg = "Too Many Requests".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(429, msg.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(msg);
                }
                return;
            }
            JsonNode request = json.readTree(body);
            String answer;
            if (!request.isArray() && refused.contains(request.path("method").asString())) {
                answer = "{\"jsonrpc\":\"2.0\",\"id\":" + request.path("id") + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}";
            } else {
                try {
                    answer = http.send(HttpRequest.newBuilder(URI.create(upstream)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            byte[] out = rewrite.apply(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
