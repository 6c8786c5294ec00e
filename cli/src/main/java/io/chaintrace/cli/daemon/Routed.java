package io.chaintrace.cli.daemon;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * {@code System.out} and {@code System.err} in the daemon: what a command's thread (or a thread it started) prints goes
 * to that command's client; anything else to the daemon's own log. Commands print through {@code System.out} and
 * picocli's writers over it, so routing the two streams gives each client exactly what the command would have printed.
 */
final class Routed extends OutputStream {
    /** The client of the command this thread runs for; inherited by the threads a command starts (progress, workers). */
    static final InheritableThreadLocal<Session> CURRENT = new InheritableThreadLocal<>();

    private static boolean installed;

    private final PrintStream own;
    private final boolean err;

    private Routed(PrintStream own, boolean err) {
        this.own = own;
        this.err = err;
    }

    /** Routes {@code System.out} and {@code System.err} through the sessions, once per JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(new Routed(out, false), true, out.charset()));
        System.setErr(new PrintStream(new Routed(err, true), true, err.charset()));
        installed = true;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Session s = CURRENT.get();
        if (s == null) {
            own.write(b, off, len);
        } else {
            s.write(err, b, off, len);
        }
    }

    @Override
    public void flush() {
        if (CURRENT.get() == null) {
            own.flush();
        }
    }
}
