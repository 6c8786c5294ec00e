package io.chaintrace.loopback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** What the loopback servers share: an HTTP server on 127.0.0.1, answers, and the real blocks they serve. */
public final class Loopback {
    private Loopback() {
    }

    /** An HTTP server on 127.0.0.1 (any free port) answering with {@code handler} on four daemon threads, started. */
    static HttpServer start(String name, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", handler);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return server;
    }

    /**
     * Answers the transport faults (a stall, 429 with {@code Retry-After: 1}, a 5xx with a body not of the protocol);
     * whether {@code fault} was one of them and is answered.
     */
    static boolean transportFault(HttpExchange ex, Faults.Fault fault, Faults faults, int serverError, String serverErrorBody)
            throws IOException {
        if (fault == Faults.Fault.TIMEOUT) {
            sleep(faults.stallMillis());
            return true;
        }
        if (fault == Faults.Fault.RATE_LIMITED) {
            ex.getResponseHeaders().set("Retry-After", "1");
            send(ex, 429, "text/plain", "Too Many Requests");
            return true;
        }
        if (fault == Faults.Fault.SERVER_ERROR) {
            send(ex, serverError, "text/html", serverErrorBody);
            return true;
        }
        return false;
    }

    /** A serialized block's hash in display order. */
    static String blockHash(byte[] block) {
        return org.bitcoinj.base.Sha256Hash.wrapReversed(org.bitcoinj.base.Sha256Hash.hashTwice(block, 0, 80)).toString();
    }

    static void stop(HttpServer server) {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The serialized blocks of a Bitcoin Core block file (magic, length, block; repeated), in file order. */
    public static List<byte[]> framedBlocks(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> blocks = new ArrayList<>();
        while (b.remaining() >= 8) {
            b.getInt();
            byte[] block = new byte[b.getInt()];
            b.get(block);
            blocks.add(block);
        }
        return blocks;
    }
}
