package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a real Anvil node (npm {@code @foundry-rs/anvil-linux-amd64}, installed in tools/ by
 * {@code ./test}) on a free port of 127.0.0.1 before a test class, and stops it after. Test
 * methods and lifecycle methods get it as an {@link Anvil} parameter.
 */
public final class AnvilExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AnvilExtension.class);

    /** A running node. */
    public record Anvil(String url, int port, Process process) {
    }

    static Path tools() {
        String prop = System.getProperty("chaintrace.tools");
        Path tools = prop != null ? Path.of(prop) : Path.of("..", "tools");
        return tools;
    }

    static Path binary() {
        Path bin = tools().resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        if (!Files.isExecutable(bin)) {
            fail("Anvil is not installed at " + bin.toAbsolutePath() + ": run 'npm ci --prefix tools' (./test does this)");
        }
        return bin;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(List.of(binary().toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--chain-id", "31337", "--silent"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Anvil anvil = new Anvil("http://127.0.0.1:" + port, port, p);
        context.getStore(NS).put("anvil", anvil);
        waitUntilReady(anvil);
    }

    private static void waitUntilReady(Anvil anvil) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(anvil.url())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!anvil.process().isAlive()) {
                fail("Anvil exited at start with code " + anvil.process().exitValue());
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.ofString()).body().contains("0x7a69")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        anvil.process().destroyForcibly();
        fail("Anvil did not answer on " + anvil.url() + " within 30 s");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Anvil anvil = context.getStore(NS).remove("anvil", Anvil.class);
        if (anvil != null) {
            anvil.process().destroy();
            if (!anvil.process().waitFor(10, TimeUnit.SECONDS)) {
                anvil.process().destroyForcibly();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Anvil.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Anvil anvil = extensionContext.getStore(NS).get("anvil", Anvil.class);
        if (anvil == null) {
            // Class-level store: look up from the class context.
            anvil = extensionContext.getParent().map(c -> c.getStore(NS).get("anvil", Anvil.class)).orElse(null);
        }
        return anvil;
    }
}
