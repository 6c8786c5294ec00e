package io.chaintrace.cli.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.cli.Chaintrace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon runs a client's command as the command line would have: on a store of a real 2019 block, trace (text and
 * JSON), stats and a bad seed give the same output, error line and exit code through the daemon as run directly; paths
 * and {@code CHAINTRACE_CONFIG} are the client's, relative to the client's directory; a request without the token is
 * closed unanswered; the port file is its owner's alone; a second daemon on the same directory is refused, a port file
 * left by a killed one is replaced; stop ends it. (The script's own client, bash over /dev/tcp: DaemonScriptIT.)
 */
class CommandDaemonTest {
    @TempDir
    static Path dir;

    private static final String SEED = "188de4d8330fe094c7961f01a702acad9cfc0cfaa17c7d90f5b58ca4c023c6a7:1";

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void store() {
        Run r = direct("ingest", "btc-blocks", Path.of("..").toAbsolutePath().normalize().resolveSibling("shared")
                .resolve("data/btc/blk/block2019Jan.blk").toString(), "--store", dir.resolve("case").toString(), "--no-progress");
        assertEquals(0, r.exit(), r.err());
    }

    /** The command run in this JVM, as by itself. Only before a daemon routes this JVM's System.out. */
    private static Run direct(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return new Run(Chaintrace.run(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A client as the script is one: the request of {@link Wire}, the answer's head, stderr, then stdout to the end. */
    static Run client(Path daemonDir, Path cwd, String config, String... args) {
        try {
            String[] portFile = Files.readString(daemonDir.resolve(CommandDaemon.PORT_FILE)).strip().split(" ");
            return client(Integer.parseInt(portFile[0]), portFile[1], cwd, config, args);
        } catch (java.io.IOException e) {
            return new Run(100, "", "");
        }
    }

    /** The token the last answer carried. */
    private static String lastAnswerToken;

    static Run client(int port, String token, Path cwd, String config, String... args) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            new Wire.Request(token, cwd.toString(), config, java.util.List.of(args)).write(s.getOutputStream());
            java.io.InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    return new Run(100, "", ""); // closed unanswered
                }
                head.append((char) c);
            }
            String[] h = head.toString().split(" ");
            assertEquals(Wire.HELLO, h[0]);
            lastAnswerToken = h[1];
            String err = new String(in.readNBytes(Integer.parseInt(h[3])), StandardCharsets.UTF_8);
            return new Run(Integer.parseInt(h[2]), new String(in.readAllBytes(), StandardCharsets.UTF_8), err);
        } catch (java.net.ConnectException e) {
            return new Run(100, "", "");
        }
    }

    @Test
    void aClientGetsWhatTheCommandLineWouldHavePrinted() throws Exception {
        String store = dir.resolve("case").toString();
        Files.writeString(dir.resolve("short.properties"), "trace.hops = 1\n");
        Run text = direct("trace", "--store", store, "--seed", SEED, "--hops", "6");
        Run json = direct("trace", "--store", store, "--seed", SEED, "--hops", "6", "--json");
        Run oneHop = direct("trace", "--store", store, "--seed", SEED, "--hops", "1", "--json");
        Run stats = direct("stats", "--store", store, "--digest");
        Run badSeed = direct("trace", "--store", store, "--seed", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
        Run usage = direct("trace", "--store", store, "--hops", "x");
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("188de4d8"), text.out());
        assertEquals(1, badSeed.exit(), badSeed.err());
        assertEquals(2, usage.exit(), usage.err());

        Path daemonDir = dir.resolve("daemon");
        CommandDaemon daemon = CommandDaemon.bind(daemonDir, Chaintrace::run, Duration.ofMinutes(10));
        Thread serving = new Thread(daemon::serve);
        serving.start();
        try {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(daemonDir)), "only the owner reads its token");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(daemonDir.resolve(CommandDaemon.PORT_FILE))));
            assertThrows(IllegalStateException.class, () -> CommandDaemon.bind(daemonDir, Chaintrace::run, Duration.ofMinutes(1)),
                    "one daemon per directory");
            // Without the token (another user, a web page posting to localhost): closed, nothing run.
            assertEquals(new Run(100, "", ""), client(daemon.port(), "0".repeat(32), dir, "", "stats", "--store", "case"));
            assertEquals(new Run(100, "", ""), client(daemon.port(), "", dir, "", "stats", "--store", "case"));
            // The client in another directory than the daemon's: the store named relative to it.
            assertEquals(text, client(daemonDir, dir, "", "trace", "--store", "case", "--seed", SEED, "--hops", "6"));
            assertEquals(json, client(daemonDir, dir, "", "trace", "--store", "case", "--seed", SEED, "--hops", "6", "--json"));
            assertEquals(stats, client(daemonDir, dir, "", "stats", "--store", "case", "--digest"));
            assertEquals(badSeed, client(daemonDir, dir, "", "trace", "--store", "case", "--seed", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"));
            assertEquals(usage, client(daemonDir, dir, "", "trace", "--store", "case", "--hops", "x"));
            // The client's CHAINTRACE_CONFIG, relative to its directory: its option defaults apply.
            assertEquals(oneHop, client(daemonDir, dir, "short.properties", "trace", "--store", "case", "--seed", SEED, "--json"));
            // A file the command writes lands in the client's directory.
            Run report = client(daemonDir, dir, "", "trace", "--store", "case", "--seed", SEED, "--report", "report-dir");
            assertEquals(0, report.exit(), report.err());
            assertTrue(Files.isRegularFile(dir.resolve("report-dir").resolve("report.html")), report.out());
            assertEquals(Files.readString(daemonDir.resolve(CommandDaemon.PORT_FILE)).strip().split(" ")[2], lastAnswerToken,
                    "the answer carries the port file's second token");
            Run status = client(daemonDir, dir, "", "daemon", "status");
            assertTrue(status.out().contains("running") && status.out().contains("commands served: 7"), status.out());
            Run stop = client(daemonDir, dir, "", "daemon", "stop");
            assertEquals(0, stop.exit());
            assertTrue(stop.out().contains("stopped"), stop.out());
            serving.join(10_000);
            assertFalse(serving.isAlive(), "serve() returned after stop");
            assertFalse(Files.exists(daemonDir.resolve(CommandDaemon.PORT_FILE)), "the port file removed");
            assertEquals(100, client(daemonDir, dir, "", "stats", "--store", "case").exit());
        } finally {
            daemon.close();
            serving.join(10_000);
        }
    }

    @Test
    void aPortFileLeftByAKilledDaemonIsReplaced() throws Exception {
        Path d = dir.resolve("stale");
        Files.createDirectories(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        int unused;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            unused = s.getLocalPort();
        }
        Files.writeString(d.resolve(CommandDaemon.PORT_FILE), unused + " " + "ab".repeat(16) + " " + "cd".repeat(16) + "\n"); // what a killed daemon leaves
        assertEquals(100, client(d, dir, "", "stats", "--store", "case").exit(), "nobody answers there");
        try (CommandDaemon daemon = CommandDaemon.bind(d, (cwd, config, args) -> 0, Duration.ofMinutes(1))) {
            String[] now = Files.readString(d.resolve(CommandDaemon.PORT_FILE)).strip().split(" ");
            assertEquals(Integer.toString(daemon.port()), now[0]);
            assertEquals(32, now[1].length(), "a new 128-bit token");
            assertEquals(32, now[2].length(), "and one for the answers");
        }
        assertFalse(Files.exists(d.resolve(CommandDaemon.PORT_FILE)), "closing removes the port file");
    }

    @Test
    void aDirectoryOthersMayEnterIsRefusedNotChanged() throws Exception {
        Path shared = dir.resolve("shared");
        Files.createDirectories(shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandDaemon.bind(shared, (cwd, config, args) -> 0,
                Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("open to others (rwxr-xr-x)"), e.getMessage());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)), "left as it was");
        assertFalse(Files.exists(shared.resolve(CommandDaemon.PORT_FILE)));
    }
}
