package io.chaintrace.cli.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client and the daemon say to each other, plain enough for the {@code chaintrace} script to speak with bash's
 * {@code /dev/tcp} (no JVM for the client: that was most of a routed trace's time). The client sends
 * <pre>
 * CTD2 TOKEN\n CWD\n CHAINTRACE_CONFIG\n ARGC\n  then per argument: BYTES\n and the argument's UTF-8 bytes
 * </pre>
 * (the client's token from the daemon's port file, readable by its owner alone; an empty line for an unset config). The
 * daemon runs the command and answers {@code CTD2 ANSWER_TOKEN EXIT ERRBYTES\n}, the command's stderr, then its stdout
 * until it closes. The answer's token, the port file's second, tells the client that the daemon answered and not
 * whatever took the port of one that died (the client's token is no proof of that: the client has just sent it).
 */
final class Wire {
    static final String HELLO = "CTD2";
    /** Longest request line or argument accepted: a request is a command line, not data. */
    private static final int MAX_LINE = 1 << 16;
    private static final int MAX_ARGS = 10_000;

    /** One command to run: where the user ran it, with what config, and its arguments. */
    record Request(String token, String cwd, String config, List<String> args) {
        void write(OutputStream out) throws IOException {
            StringBuilder head = new StringBuilder(HELLO).append(' ').append(token).append('\n').append(cwd).append('\n').append(config)
                    .append('\n').append(args.size()).append('\n');
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                out.write((b.length + "\n").getBytes(StandardCharsets.UTF_8));
                out.write(b);
            }
            out.flush();
        }

        /** The request on {@code in}; throws when it is not one (a stray connection, another protocol). */
        static Request read(InputStream in) throws IOException {
            String hello = line(in);
            if (!hello.startsWith(HELLO + " ")) {
                throw new IOException("not a chaintrace daemon request");
            }
            String token = hello.substring(HELLO.length() + 1);
            String cwd = line(in);
            String config = line(in);
            int n = number(line(in), MAX_ARGS);
            List<String> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = in.readNBytes(number(line(in), MAX_LINE));
                args.add(new String(b, StandardCharsets.UTF_8));
            }
            return new Request(token, cwd, config, List.copyOf(args));
        }
    }

    /** The answer's head: the daemon's token, the exit code and how many bytes of stderr follow (stdout after them, to the end). */
    static byte[] head(String answerToken, int exit, int errBytes) {
        return (HELLO + " " + answerToken + " " + exit + " " + errBytes + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("the request ended early");
            }
            if (b.size() >= MAX_LINE) {
                throw new IOException("request line too long");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static int number(String s, int max) throws IOException {
        try {
            int n = Integer.parseInt(s);
            if (n < 0 || n > max) {
                throw new IOException("bad count " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("bad count " + s);
        }
    }

    private Wire() {
    }
}
