package io.chaintrace.cli.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chaintrace.cli.report.ReportWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The workspace over HTTP ({@code chaintrace serve}): the page at {@code /}, the REST API under {@code /api/} (documented in
 * {@code openapi.yaml}, served at {@code /openapi.yaml}), and exported reports under {@code /cases/}. On 127.0.0.1 by
 * default; on another interface every API call needs the token ({@code Authorization: Bearer}). Requests are answered one at
 * a time (one store, one investigator). A request that names another host is refused (a web page elsewhere cannot reach
 * the workspace through the browser by DNS rebinding), and writes take JSON only (a form on another site cannot post one
 * without the browser asking first). Errors are one line of JSON: {@code {"error": "..."}}.
 */
public final class CaseServer implements AutoCloseable {
    /** Request bodies larger than this are refused: a case is a few kilobytes. */
    public static final int MAX_BODY = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Workspace workspace;
    private final SavedCases cases;
    private final Optional<String> token;
    private final boolean loopback;
    private final Consumer<String> log;
    private final HttpServer http;
    private final ExecutorService executor;
    private final String page;

    /**
     * Binds {@code address} ({@code port} 0: any free port). A token is required when the address is not a loopback one.
     * {@code log} gets one line per error (never a credential).
     */
    public CaseServer(Workspace workspace, SavedCases cases, InetAddress address, int port, Optional<String> token,
                      Consumer<String> log) throws IOException {
        this.loopback = address.isLoopbackAddress();
        if (!loopback && token.isEmpty()) {
            throw new IllegalArgumentException("serving on " + address.getHostAddress() + " (not this machine's loopback) needs a token:"
                    + " --token-file FILE");
        }
        this.workspace = workspace;
        this.cases = cases;
        this.token = token;
        this.log = log;
        this.page = Page.html();
        try {
            this.http = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (java.net.BindException e) {
            throw new IllegalArgumentException("cannot listen on " + address.getHostAddress() + " port " + port + " (" + e.getMessage()
                    + "): choose another with --port, or 0 for any free one", e);
        }
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "chaintrace-serve");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /** The address the page is at. */
    public URI uri() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    /** An answer with an HTTP status other than 200, and the one line that says why. */
    private static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            try {
                checkHost(x);
                route(x);
            } catch (Refused r) {
                error(x, r.status, r.getMessage());
            } catch (Workspace.NotFound n) {
                error(x, 404, n.getMessage());
            } catch (FileAlreadyExistsException e) {
                error(x, 409, e.getReason() != null ? e.getReason() : "already exists: " + e.getFile());
            } catch (IllegalArgumentException e) {
                error(x, 400, e.getMessage());
            } catch (UncheckedIOException | IOException e) {
                log.accept("serve: " + x.getRequestMethod() + " " + x.getRequestURI().getPath() + ": " + e.getMessage());
                error(x, 500, "could not read or write a file: " + e.getMessage());
            } catch (RuntimeException e) {
                log.accept("serve: " + x.getRequestMethod() + " " + x.getRequestURI().getPath() + ": internal error: " + e);
                error(x, 500, "internal error: " + e.getClass().getSimpleName());
            }
        }
    }

    private void route(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getRawPath();
        String method = x.getRequestMethod();
        if (path.equals("/") || path.equals("/index.html")) {
            allow(method, "GET");
            send(x, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.equals("/openapi.yaml")) {
            allow(method, "GET");
            send(x, 200, "application/yaml; charset=utf-8", Page.resource("openapi.yaml").getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.startsWith("/cases/") && path.endsWith("/report.html")) {
            allow(method, "GET");
            authorize(x);
            String name = decode(path.substring("/cases/".length(), path.length() - "/report.html".length()));
            Path html = cases.reportDir(name).resolve("report.html");
            if (!Files.exists(html)) {
                throw new Workspace.NotFound("case '" + name + "' has no exported report yet");
            }
            send(x, 200, "text/html; charset=utf-8", Files.readAllBytes(html));
            return;
        }
        if (!path.startsWith("/api/")) {
            throw new Workspace.NotFound("no such page: " + path);
        }
        authorize(x);
        switch (path) {
            case "/api/info" -> {
                allow(method, "GET");
                Map<String, Object> info = workspace.info();
                info.put("cases", cases.dir().toAbsolutePath().toString());
                json(x, info);
            }
            case "/api/lookup" -> {
                allow(method, "GET");
                json(x, workspace.lookup(query(x).getOrDefault("q", "")));
            }
            case "/api/case" -> {
                allow(method, "POST");
                json(x, workspace.open(body(x, Workspace.CaseSpec.class)));
            }
            case "/api/expand" -> {
                allow(method, "POST");
                ExpandRequest r = body(x, ExpandRequest.class);
                if (r.caseSpec() == null) {
                    throw new IllegalArgumentException("an expansion names its case: {\"case\": {...}, \"node\": ..., \"side\": ...}");
                }
                json(x, workspace.expand(r.caseSpec(), r.node(), r.side(), r.limit() == null ? Workspace.DEFAULT_LIMIT : r.limit()));
            }
            case "/api/cases" -> {
                allow(method, "GET");
                json(x, Map.of("dir", cases.dir().toAbsolutePath().toString(), "cases", cases.list()));
            }
            default -> {
                if (!path.startsWith("/api/cases/")) {
                    throw new Workspace.NotFound("no such API: " + path + " (see /openapi.yaml)");
                }
                savedCase(x, method, path.substring("/api/cases/".length()));
            }
        }
    }

    /** {@code /api/cases/NAME}: load (GET) or save (PUT); {@code /api/cases/NAME/report}: export (POST). */
    private void savedCase(HttpExchange x, String method, String rest) throws IOException {
        if (rest.endsWith("/report")) {
            allow(method, "POST");
            String name = decode(rest.substring(0, rest.length() - "/report".length()));
            SavedCases.InvestigationCase c = body(x, SavedCases.InvestigationCase.class);
            ReportWriter.Written w = cases.export(name, workspace.report(c.check(), c.notes()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", "/cases/" + name + "/report.html");
            m.put("dir", w.html().getParent().toAbsolutePath().toString());
            m.put("files", w.all().stream().map(p -> p.getFileName().toString()).toList());
            json(x, m);
            return;
        }
        String name = decode(rest);
        switch (method) {
            case "GET" -> {
                SavedCases.InvestigationCase c = cases.load(name);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("case", c);
                if (c.storeDigest() != null && !c.storeDigest().equals(workspace.digest())) {
                    m.put("warning", "saved on another store (digest " + c.storeDigest() + "; this one " + workspace.digest()
                            + "): amounts are those of this store");
                }
                json(x, m);
            }
            case "PUT" -> {
                SavedCases.InvestigationCase c = body(x, SavedCases.InvestigationCase.class);
                SavedCases.InvestigationCase stamped = new SavedCases.InvestigationCase(c.format(), c.seeds(), c.policy(), c.direction(), c.hops(),
                        c.expanded(), c.notes(), workspace.digest(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                Path f = cases.save(name, stamped, "true".equals(query(x).get("replace")));
                json(x, Map.of("saved", f.toAbsolutePath().toString(), "case", stamped));
            }
            default -> throw new Refused(405, method + " is not allowed here (GET loads a case, PUT saves one)");
        }
    }

    /** The body of an expansion. */
    record ExpandRequest(@com.fasterxml.jackson.annotation.JsonProperty("case") Workspace.CaseSpec caseSpec, String node, String side,
                         Integer limit) {
    }

    private void checkHost(HttpExchange x) {
        if (!loopback) {
            return; // the token guards it
        }
        String host = x.getRequestHeaders().getFirst("Host");
        int port = port();
        if (host == null || !List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port).contains(host.toLowerCase(Locale.ROOT))) {
            throw new Refused(403, "this workspace answers requests for 127.0.0.1:" + port + " only");
        }
    }

    private void authorize(HttpExchange x) {
        if (token.isEmpty()) {
            return;
        }
        String given = x.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + token.get()).getBytes(StandardCharsets.UTF_8);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw new Refused(401, "this workspace needs its token: Authorization: Bearer TOKEN (open the page as URL#token=TOKEN)");
        }
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new Refused(405, method + " is not allowed here; " + allowed + " is");
        }
    }

    private static Map<String, String> query(HttpExchange x) {
        Map<String, String> m = new LinkedHashMap<>();
        String raw = x.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            m.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return m;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed %-escape in the request: " + (s.length() > 80 ? s.substring(0, 80) + "…" : s));
        }
    }

    private static <T> T body(HttpExchange x, Class<T> type) throws IOException {
        String contentType = x.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Refused(415, "send the body as JSON (Content-Type: application/json)");
        }
        byte[] bytes;
        try (InputStream in = x.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new Refused(413, "a request body is at most " + (MAX_BODY >> 20) + " MB");
        }
        try {
            T value = JSON.readValue(bytes, type);
            if (value == null) {
                throw new IllegalArgumentException("the body is empty: send a JSON object");
            }
            return value;
        } catch (JacksonException e) {
            // A record's own check (a bad policy, too many seeds) says what is wrong; otherwise the parser's first line.
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException i) {
                    throw new IllegalArgumentException(i.getMessage(), e);
                }
            }
            String m = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
            throw new IllegalArgumentException("malformed JSON body: " + (m.contains("\n") ? m.substring(0, m.indexOf('\n')) : m), e);
        }
    }

    private static void json(HttpExchange x, Object value) throws IOException {
        send(x, 200, "application/json", io.chaintrace.cli.app.Json.line(value).getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpExchange x, int status, String message) throws IOException {
        String m = message == null ? "error" : message.replace('\n', ' ');
        send(x, status, "application/json", io.chaintrace.cli.app.Json.line(Map.of("error", m)).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        x.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        if (type.startsWith("text/html")) {
            // The page and exported reports run their own inline scripts and talk to this server only.
            x.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'");
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
