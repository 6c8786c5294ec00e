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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A loopback HTTP endpoint in front of a real node: methods in {@code refused} are answered
 * "method not found" (as by providers that disable tracing), alone or inside a batch, everything else is forwarded,
 * and {@code rewrite} may spoil the answer (malformed JSON). Counts the HTTP requests it is sent; with
 * {@link #reverseBatches} it answers a batch in reverse order (JSON-RPC 2.0 lets a server answer a batch in any order).
 */
final class NodeProxy implements AutoCloseable {
    private final HttpServer server;
    /** Requests still to refuse with HTTP 429 (a rate-limited provider) before forwarding. */
    final java.util.concurrent.atomic.AtomicInteger rateLimited = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger refusedWith429 = new java.util.concurrent.atomic.AtomicInteger();
    /** HTTP requests received. */
    final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    /** JSON-RPC calls received, alone or in batches, by method. */
    final java.util.concurrent.ConcurrentHashMap<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
    volatile boolean reverseBatches;

    NodeProxy(String upstream, Set<String> refused, UnaryOperator<String> rewrite) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        var json = JsonMapper.builder().build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.incrementAndGet();
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
            for (JsonNode call : request.isArray() ? request : json.createArrayNode().add(request)) {
                calls.merge(call.path("method").asString(), 1, Integer::sum);
            }
            String answer;
            if (!request.isArray() && refused.contains(request.path("method").asString())) {
                answer = refusal(request);
            } else if (request.isArray()) {
                // The refused calls answered here, the rest forwarded as one batch; the answers in the order asked.
                var forward = json.createArrayNode();
                for (JsonNode call : request) {
                    if (!refused.contains(call.path("method").asString())) {
                        forward.add(call);
                    }
                }
                java.util.Iterator<JsonNode> forwarded = forward.isEmpty() ? java.util.Collections.emptyIterator()
                        : json.readTree(send(http, upstream, forward.toString())).iterator();
                List<String> parts = new ArrayList<>();
                for (JsonNode call : request) {
                    parts.add(refused.contains(call.path("method").asString()) ? refusal(call) : forwarded.next().toString());
                }
                if (reverseBatches) {
                    Collections.reverse(parts);
                }
                answer = "[" + String.join(",", parts) + "]";
            } else {
                answer = send(http, upstream, body);
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

    private static String refusal(JsonNode call) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + call.path("id") + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}";
    }

    private static String send(HttpClient http, String upstream, String body) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(upstream)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
