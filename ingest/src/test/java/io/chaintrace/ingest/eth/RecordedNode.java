package io.chaintrace.ingest.eth;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC endpoint on 127.0.0.1 that answers with real node responses recorded by
 * ethereum-etl ({@code web3_response.<method>_<params>.json}, in ../shared/data/eth/etl). A
 * request with no recording gets JSON-RPC "method not found", as a node without that method would
 * answer. {@code eth_getLogs} is answered from the {@code eth_getFilterLogs} recording (the same
 * logs, fetched by ethereum-etl through a filter). Single and batch requests.
 */
final class RecordedNode implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final HttpServer server;
    private final Map<String, Path> recordings = new HashMap<>();
    final List<String> methodsAsked = new ArrayList<>();

    RecordedNode(Path dir) throws IOException {
        this(List.of(dir));
    }

    /** One node answering from the recordings of several directories (one block's block and receipts recorded apart). */
    RecordedNode(List<Path> dirs) throws IOException {
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().startsWith("web3_response."))
                        .forEach(f -> recordings.putIfAbsent(f.getFileName().toString().toLowerCase(Locale.ROOT), f));
            }
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try {
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                JsonNode response;
                if (request.isArray()) {
                    ArrayNode all = JSON.createArrayNode();
                    for (JsonNode r : request) {
                        all.add(answer(r));
                    }
                    response = all;
                } else {
                    response = answer(request);
                }
                body = JSON.writeValueAsBytes(response);
            } catch (RuntimeException e) {
                body = ("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"" + e + "\"}}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized JsonNode answer(JsonNode request) {
        String method = request.path("method").asString();
        methodsAsked.add(method);
        Path file = recordings.get(fileName(method, request.path("params")));
        if (file == null && method.equals("eth_getLogs")) {
            file = recordings.entrySet().stream().filter(e -> e.getKey().startsWith("web3_response.eth_getfilterlogs"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        ObjectNode response;
        if (file == null) {
            response = JSON.createObjectNode();
            response.put("jsonrpc", "2.0");
            ObjectNode error = response.putObject("error");
            error.put("code", -32601);
            error.put("message", "the method " + method + " does not exist/is not available");
        } else {
            try {
                response = (ObjectNode) JSON.readTree(file.toFile());
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot read recording " + file, e);
            }
        }
        response.set("id", request.path("id"));
        return response;
    }

    /** ethereum-etl's MockWeb3Provider naming: method, then the parameters flattened with '_', lower case. */
    static String fileName(String method, JsonNode params) {
        List<String> parts = new ArrayList<>();
        for (JsonNode p : params) {
            flatten(p, parts);
        }
        return ("web3_response." + method + (parts.isEmpty() ? "_" : "_" + String.join("_", parts)) + ".json").toLowerCase(Locale.ROOT);
    }

    private static void flatten(JsonNode v, List<String> parts) {
        if (v.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            v.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            sorted.forEach((k, x) -> {
                parts.add(k);
                flatten(x, parts);
            });
        } else if (v.isArray()) {
            for (JsonNode x : v) {
                flatten(x, parts);
            }
        } else {
            parts.add(v.asString());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
