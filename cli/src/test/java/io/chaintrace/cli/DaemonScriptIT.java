package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a user meets it, through the {@code chaintrace} script and its bash client: {@code daemon start}, then
 * trace (text, JSON, a bad seed) and stats print the same bytes and exit codes as without it, from another directory
 * than the daemon's; the daemon counts them (they went through it), not a {@code -v} run; a rebuilt jar stops the old daemon rather than let
 * it answer with old code; a program on the port of a daemon that died cannot answer for it; a port file in a directory
 * others may enter is not trusted; {@code daemon stop} ends it and the commands run by themselves again.
 */
class DaemonScriptIT {
    @TempDir
    static Path dir;

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("cli/target/chaintrace.jar");
    private static final String SEED = "188de4d8330fe094c7961f01a702acad9cfc0cfaa17c7d90f5b58ca4c023c6a7:1";

    record Out(int exit, String out, String err) {
    }

    private static Out script(Path daemonDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("chaintrace").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CHAINTRACE_DAEMON_DIR", daemonDir.toString());
        pb.environment().remove("CHAINTRACE_CONFIG");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        int exit = pb.start().waitFor();
        return new Out(exit, Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    @AfterAll
    static void stop() throws Exception {
        script(dir.resolve("daemon"), "daemon", "stop");
    }

    @Test
    void throughTheDaemonTheSameBytesAndExitCodes() throws Exception {
        assertTrue(Files.exists(JAR), "the jar is built before the integration tests");
        TestData.ingested(dir.resolve("case"), "block2019Jan.blk");
        Files.setLastModifiedTime(JAR, FileTime.fromMillis(System.currentTimeMillis() - 5_000)); // built: no build in the script
        Path none = dir.resolve("no-daemon");
        Path daemon = dir.resolve("daemon");
        String[][] commands = {
            {"trace", "--store", "case", "--seed", SEED, "--hops", "6"},
            {"trace", "--store", "case", "--seed", SEED, "--hops", "6", "--json"},
            {"trace", "--store", "case", "--seed", "1BoatSLRHtKNngkdXEeobR76b53LETtpyé"},
            {"stats", "--store", "case", "--digest"},
        };
        List<Out> direct = new ArrayList<>();
        for (String[] c : commands) {
            direct.add(script(none, c));
        }
        assertEquals(0, direct.get(0).exit(), direct.get(0).err());
        assertEquals(1, direct.get(2).exit(), direct.get(2).err());
        assertTrue(direct.get(2).err().contains("'é' at position 33"), direct.get(2).err());

        Out started = script(daemon, "daemon", "start");
        assertEquals(0, started.exit(), started.err());
        assertTrue(started.out().startsWith("chaintrace daemon: running"), started.out());
        for (int i = 0; i < commands.length; i++) {
            assertEquals(direct.get(i), script(daemon, commands[i]), String.join(" ", commands[i]));
        }
        Out status = script(daemon, "daemon", "status");
        assertTrue(status.out().contains("commands served: " + (commands.length + 1)), "they went through the daemon: " + status.out());
        // -v runs by itself (its detail comes from loggers the daemon set up once): the daemon does not count it.
        Out verbose = script(daemon, "-v", "trace", "--store", "case", "--seed", SEED, "--hops", "6");
        assertEquals(direct.get(0).out(), verbose.out());
        assertTrue(script(daemon, "daemon", "status").out().contains("commands served: " + (commands.length + 2)), "only the status before");

        // The jar rebuilt after the daemon started: it is stopped, the command runs by itself.
        Files.setLastModifiedTime(JAR, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
        Out afterBuild = script(daemon, commands[0]);
        assertEquals(direct.get(0).out(), afterBuild.out());
        assertTrue(afterBuild.err().contains("the daemon ran an older build and was stopped"), afterBuild.err());
        assertTrue(script(daemon, "daemon", "status").out().contains("not running"));
        Files.setLastModifiedTime(JAR, FileTime.fromMillis(System.currentTimeMillis() - 5_000));

        // Whatever took the port of a daemon that died cannot answer for it: without the answer's token the command runs here.
        Path taken = dir.resolve("taken");
        Files.createDirectories(taken, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        try (java.net.ServerSocket impostor = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(taken.resolve("chaintrace.port"), impostor.getLocalPort() + " " + "ab".repeat(16) + " " + "cd".repeat(16) + "\n");
            java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
            Thread t = new Thread(() -> {
                try (java.net.Socket c = impostor.accept()) {
                    asked.set(c.getInputStream().read(new byte[4096]) > 0);
                    c.getOutputStream().write("CTD2 00000000000000000000000000000000 0 0\nforged\n".getBytes());
                } catch (java.io.IOException e) {
                    // the test fails on the output below
                }
            });
            t.start();
            assertEquals(direct.get(1), script(taken, commands[1]), "not the impostor's answer");
            t.join(10_000);
            assertTrue(asked.get(), "the script asked it first");
        }

        // Whatever holds the port closes it before the request is written: the script's writes fail (not a SIGPIPE that
        // ends it), and the command runs here.
        try (java.net.ServerSocket closer = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(taken.resolve("chaintrace.port"), closer.getLocalPort() + " " + "ab".repeat(16) + " " + "cd".repeat(16) + "\n");
            Thread t = new Thread(() -> {
                try (java.net.Socket c = closer.accept()) {
                    c.setSoLinger(true, 0); // a reset, not a polite end: the next write fails
                } catch (java.io.IOException e) {
                    // the test fails on the output below
                }
            });
            t.start();
            assertEquals(direct.get(1), script(taken, commands[1]), "run here after the port was closed on it");
            t.join(10_000);
        }
        // ... or reads the whole request and then resets: the script's read of the answer fails, quietly (bash's own
        // "connection reset" line is not the command's), and the command runs here.
        try (java.net.ServerSocket reader = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(taken.resolve("chaintrace.port"), reader.getLocalPort() + " " + "ab".repeat(16) + " " + "cd".repeat(16) + "\n");
            java.util.concurrent.atomic.AtomicBoolean read = new java.util.concurrent.atomic.AtomicBoolean();
            Thread t = new Thread(() -> {
                try (java.net.Socket c = reader.accept()) {
                    c.setSoTimeout(500); // the request is written at once; half a second without a byte is its end
                    try {
                        while (c.getInputStream().read(new byte[4096]) > 0) {
                            read.set(true);
                        }
                    } catch (java.net.SocketTimeoutException end) {
                        c.setSoLinger(true, 0);
                    }
                } catch (java.io.IOException e) {
                    // the test fails on the output below
                }
            });
            t.start();
            assertEquals(direct.get(1), script(taken, commands[1]), "run here after the request was read and the port reset");
            t.join(10_000);
            assertTrue(read.get(), "the request was written before the reset");
        }

        // A port file in a directory others may enter is not trusted (anyone could have put it there): not even asked.
        Path open = dir.resolve("open");
        Files.createDirectories(open);
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (java.net.ServerSocket planted = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(open.resolve("chaintrace.port"), planted.getLocalPort() + " " + "ab".repeat(16) + " " + "cd".repeat(16) + "\n");
            assertEquals(direct.get(1), script(open, commands[1]));
            planted.setSoTimeout(500);
            org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketTimeoutException.class, planted::accept, "never connected to");
        }

        assertEquals(0, script(daemon, "daemon", "start").exit());
        Out stopped = script(daemon, "daemon", "stop");
        assertTrue(stopped.out().startsWith("chaintrace daemon: stopped"), stopped.out());
        assertFalse(Files.exists(daemon.resolve("chaintrace.port")));
        assertEquals(direct.get(1), script(daemon, commands[1]), "by itself again");
    }
}
