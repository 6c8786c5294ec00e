package io.chaintrace.loopback;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node's own answers that {@link EtherscanServer} serves from: {@code eth_getBlockByNumber(n, true)} results,
 * {@code eth_getTransactionReceipt} results, Parity {@code trace_block} frames, and what token contracts say of
 * themselves ({name, symbol, decimals}), read from ethereum-etl's recordings or asked of a running node.
 */
record NodeAnswers(List<JsonNode> blocks, List<JsonNode> receipts, List<JsonNode> traces, Map<String, String[]> tokenInfo) {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** ethereum-etl's recorded mainnet answers ({@code web3_response.*.json} under {@code dir}). */
    public static NodeAnswers fromRecordings(Path dir) throws IOException {
        List<JsonNode> blocks = new ArrayList<>();
        List<JsonNode> receipts = new ArrayList<>();
        List<JsonNode> traces = new ArrayList<>();
        Map<String, String[]> tokens = new HashMap<>();
        Map<String, String> seen = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.startsWith("web3_response.")) {
                    continue;
                }
                JsonNode result = JSON.readTree(f.toFile()).path("result");
                if (name.startsWith("web3_response.eth_getBlockByNumber_0x") && name.endsWith("_true.json")) {
                    if (seen.putIfAbsent("block " + result.path("number").asString(), name) == null) {
                        blocks.add(result);
                    }
                } else if (name.startsWith("web3_response.eth_getTransactionReceipt_")) {
                    if (seen.putIfAbsent("receipt " + result.path("transactionHash").asString(), name) == null) {
                        receipts.add(result);
                    }
                } else if (name.startsWith("web3_response.trace_block_")) {
                    result.forEach(traces::add);
                } else if (name.startsWith("web3_response.eth_call_data_")) {
                    String[] p = name.split("_");
                    // web3_response.eth_call_data_<selector>_to_<contract>_latest.json
                    String selector = p[3];
                    String contract = p[5].toLowerCase(Locale.ROOT);
                    String[] info = tokens.computeIfAbsent(contract, k -> new String[] {"", "", ""});
                    String hex = result.asString("");
                    switch (selector) {
                        case "0x06fdde03" -> info[0] = abiString(hex);
                        case "0x95d89b41" -> info[1] = abiString(hex);
                        case "0x313ce567" -> info[2] = hex.length() > 2 ? new BigInteger(hex.substring(2), 16).toString() : "";
                        default -> {
                        }
                    }
                }
            }
        }
        return new NodeAnswers(blocks, receipts, traces, tokens);
    }

    /** What a running node (Anvil) holds: every block with its receipts and traces, asked at start. */
    public static NodeAnswers fromNode(String rpcUrl) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        long head = quantity(rpc(http, rpcUrl, "eth_blockNumber", "[]")).longValueExact();
        List<JsonNode> blocks = new ArrayList<>();
        List<JsonNode> receipts = new ArrayList<>();
        List<JsonNode> traces = new ArrayList<>();
        Map<String, String[]> tokens = new HashMap<>();
        for (long n = 0; n <= head; n++) {
            JsonNode b = rpc(http, rpcUrl, "eth_getBlockByNumber", "[\"0x" + Long.toHexString(n) + "\",true]");
            blocks.add(b);
            for (JsonNode t : b.path("transactions")) {
                JsonNode r = rpc(http, rpcUrl, "eth_getTransactionReceipt", "[\"" + t.path("hash").asString() + "\"]");
                receipts.add(r);
                for (JsonNode log : r.path("logs")) {
                    String token = lower(log.path("address").asString());
                    if (log.path("topics").size() == 3 && !tokens.containsKey(token)) {
                        tokens.put(token, new String[] {abiString(call(http, rpcUrl, token, "0x06fdde03")),
                            abiString(call(http, rpcUrl, token, "0x95d89b41")), decimals(call(http, rpcUrl, token, "0x313ce567"))});
                    }
                }
            }
            rpc(http, rpcUrl, "trace_block", "[\"0x" + Long.toHexString(n) + "\"]").forEach(traces::add);
        }
        return new NodeAnswers(blocks, receipts, traces, tokens);
    }

    private static String call(HttpClient http, String url, String to, String data) throws IOException {
        try {
            return rpc(http, url, "eth_call", "[{\"to\":\"" + to + "\",\"data\":\"" + data + "\"},\"latest\"]").asString("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String decimals(String hex) {
        return hex.length() > 2 ? new BigInteger(hex.substring(2), 16).toString() : "";
    }

    private static JsonNode rpc(HttpClient http, String url, String method, String params) throws IOException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}"))
                .build();
        try {
            JsonNode n = JSON.readTree(http.send(r, HttpResponse.BodyHandlers.ofString()).body());
            if (n.has("error")) {
                throw new IOException(method + ": " + n.path("error"));
            }
            return n.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** An ABI-encoded string return value (offset, length, bytes), or "" when it is not one. */
    static String abiString(String hex) {
        try {
            String h = hex.startsWith("0x") ? hex.substring(2) : hex;
            if (h.length() < 128) {
                return "";
            }
            int length = new BigInteger(h.substring(64, 128), 16).intValueExact();
            byte[] b = java.util.HexFormat.of().parseHex(h.substring(128, 128 + 2 * length));
            return new String(b, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static BigInteger quantity(JsonNode n) {
        String s = n.asString("");
        if (s.isEmpty() || s.equals("0x")) {
            return BigInteger.ZERO;
        }
        return s.startsWith("0x") ? new BigInteger(s.substring(2), 16) : new BigInteger(s);
    }
}
