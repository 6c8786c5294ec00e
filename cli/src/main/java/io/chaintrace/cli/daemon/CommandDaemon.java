package io.chaintrace.cli.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warm JVM that runs chaintrace commands for its user's shell. It listens on 127.0.0.1 only, on a port the system
 * picks, and writes the port with two random 128-bit tokens into {@code chaintrace.port} in a directory only its owner can
 * read: a request without the token is closed unanswered, so other local users (or a web page posting to localhost)
 * cannot run commands as this user; the answer carries a second token, so a client knows the daemon answered and not a
 * program that took the port of one that died. Each command runs on its own thread as if typed in the client's directory with the
 * client's {@code CHAINTRACE_CONFIG}; it opens and closes its store like a command run by itself, so the daemon holds no
 * store between commands and sees what an ingest wrote since. Ends on {@code daemon stop} or after {@code idle} without a
 * command.
 */
public final class CommandDaemon implements AutoCloseable {
    /** Runs one command: its exit code. */
    @FunctionalInterface
    public interface Runner {
        int run(Path cwd, String config, String[] args);
    }

    /** The file in the daemon's directory that tells a client where it listens: {@code PORT CLIENT_TOKEN ANSWER_TOKEN}. */
    public static final String PORT_FILE = "chaintrace.port";

    private final Path dir;
    private final ServerSocket server;
    private final byte[] token;
    private final String answerToken;
    private final Runner runner;
    private final Duration idle;
    private final Instant started = Instant.now();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private volatile long lastDone = System.nanoTime();

    private CommandDaemon(Path dir, ServerSocket server, byte[] token, String answerToken, Runner runner, Duration idle) {
        this.dir = dir;
        this.server = server;
        this.token = token;
        this.answerToken = answerToken;
        this.runner = runner;
        this.idle = idle;
    }

    /**
     * Listens on a loopback port and announces it in {@code dir}/{@value #PORT_FILE} (a directory private to its owner,
     * made so when it is new); refuses when a daemon already answers there, replaces a file left by one that is gone.
     * @throws IllegalStateException when another daemon answers from {@code dir}
     * @throws IllegalArgumentException when others may enter {@code dir}
     */
    public static CommandDaemon bind(Path dir, Runner runner, Duration idle) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        // The token is only as private as its directory; a directory others can enter is refused, not changed (it may be
        // one the user shares on purpose).
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
        if (!mode.endsWith("------")) {
            throw new IllegalArgumentException("the daemon's directory " + dir + " is open to others (" + mode + "): give it one of its own"
                    + " (CHAINTRACE_DAEMON_DIR), or chmod 700 it");
        }
        Path portFile = dir.resolve(PORT_FILE);
        if (Files.exists(portFile)) {
            String[] was = Files.readString(portFile, StandardCharsets.UTF_8).strip().split(" ");
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(was[0])), 1_000);
                throw new IllegalStateException("a chaintrace daemon already runs from " + dir + " (./chaintrace daemon stop)");
            } catch (IOException | NumberFormatException gone) {
                Files.delete(portFile); // left by a daemon that was killed
            }
        }
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        SecureRandom random = new SecureRandom();
        byte[] token = new byte[16];
        byte[] answer = new byte[16];
        random.nextBytes(token);
        random.nextBytes(answer);
        // Written beside and moved into place, private from its first byte: a client never reads half a file.
        Path tmp = Files.createTempFile(dir, ".port", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, server.getLocalPort() + " " + HexFormat.of().formatHex(token) + " " + HexFormat.of().formatHex(answer) + "\n",
                StandardCharsets.UTF_8);
        try {
            Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, portFile, StandardCopyOption.REPLACE_EXISTING);
        }
        return new CommandDaemon(dir, server, HexFormat.of().formatHex(token).getBytes(StandardCharsets.US_ASCII), HexFormat.of().formatHex(answer),
                runner, idle);
    }

    /** The loopback port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Serves commands until stopped or idle; returns then, the port file removed. */
    public void serve() {
        Routed.install();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "daemon-idle");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleAtFixedRate(() -> {
            if (running.get() == 0 && System.nanoTime() - lastDone > idle.toNanos()) {
                log("no command for %s: stopping", idle);
                close();
            }
        }, 1, 1, TimeUnit.SECONDS);
        log("listening on 127.0.0.1:%d (pid %d, %s)", port(), ProcessHandle.current().pid(), dir.resolve(PORT_FILE));
        try {
            while (!server.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (SocketException stopped) {
                    break;
                } catch (IOException e) {
                    log("accept failed: %s", e.getMessage());
                    continue;
                }
                running.incrementAndGet();
                new Thread(() -> handle(client), "daemon-command").start();
            }
        } finally {
            watch.shutdownNow();
            close();
            // The commands under way (the stop itself among them) finish and are answered before the JVM may exit.
            while (running.get() > 0) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            client.setSoTimeout(10_000); // for the request only: a command may take its time
            Wire.Request request = Wire.Request.read(new BufferedInputStream(client.getInputStream()));
            if (!MessageDigest.isEqual(token, request.token().getBytes(StandardCharsets.US_ASCII))) {
                log("a request without this daemon's token, closed unanswered");
                return;
            }
            client.setSoTimeout(0);
            Session session = new Session();
            Routed.CURRENT.set(session);
            int code;
            try {
                code = own(request.args()) ? ownCommand(request.args()) : runner.run(Path.of(request.cwd()), request.config(),
                        request.args().toArray(String[]::new));
            } catch (RuntimeException | Error e) {
                System.err.println("chaintrace: internal error in the daemon: " + e);
                code = 4;
            } finally {
                System.out.flush();
                Routed.CURRENT.remove();
            }
            served.incrementAndGet();
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 1 << 16);
            session.answer(answerToken, code, out);
        } catch (java.io.EOFException probe) {
            // connected and closed without a request: a daemon starting elsewhere checking whether this one runs
        } catch (IOException e) {
            log("a client went away: %s", e.getMessage());
        } finally {
            lastDone = System.nanoTime();
            running.decrementAndGet();
        }
    }

    private static boolean own(List<String> args) {
        return args.size() == 2 && args.get(0).equals("daemon") && (args.get(1).equals("status") || args.get(1).equals("stop"));
    }

    /** {@code daemon status} and {@code daemon stop}, answered by the daemon itself. */
    private int ownCommand(List<String> args) {
        PrintStream out = System.out;
        if (args.get(1).equals("status")) {
            out.printf("chaintrace daemon: running, pid %d, since %s, commands served: %,d, 127.0.0.1:%d%n", ProcessHandle.current().pid(),
                    started.toString().substring(0, 19).replace('T', ' ') + " UTC", served.get(), port());
            return 0;
        }
        out.printf("chaintrace daemon: stopped (pid %d, commands served: %,d)%n", ProcessHandle.current().pid(), served.get());
        close();
        return 0;
    }

    /** Stops listening and removes the port file; a command running finishes and is answered. */
    @Override
    public synchronized void close() {
        if (!server.isClosed()) {
            try {
                server.close();
                Files.deleteIfExists(dir.resolve(PORT_FILE));
            } catch (IOException e) {
                log("closing: %s", e.getMessage());
            }
        }
    }

    private static void log(String format, Object... args) {
        Session s = Routed.CURRENT.get();
        Routed.CURRENT.remove();
        try {
            System.err.printf("[%s] chaintrace daemon: %s%n", Instant.now().toString().substring(0, 19), String.format(format, args));
        } finally {
            if (s != null) {
                Routed.CURRENT.set(s);
            }
        }
    }
}
