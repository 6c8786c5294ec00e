package io.chaintrace.cli.app;

import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr. On a terminal the bar is redrawn in place twice a second. Into a file or a pipe (a long ingest
 * or batch run under nohup, its log kept) a redraw is a carriage return: the log would hold one line of every redraw of
 * the run run together, unreadable by anything but a terminal. There the bar is a line of its own every ten seconds,
 * each with what is done, the rate and the time left.
 */
public final class ProgressBars {
    /** Set by the {@code chaintrace} script ({@code [ -t 2 ]}): whether stderr is a terminal. */
    public static final String TERMINAL = "chaintrace.stderr.terminal";

    private static final int REDRAW_MILLIS = 500;
    private static final int LINE_MILLIS = 10_000;
    private static final int LINE_WIDTH = 120;

    private ProgressBars() {
    }

    /** A bar of {@code total} steps named {@code task}, drawn as stderr can show it. */
    public static ProgressBarBuilder builder(String task, long total) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII);
        if (terminal()) {
            return b.setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(REDRAW_MILLIS);
        }
        return b.setConsumer(new DelegatingProgressBarConsumer(new Lines(), LINE_WIDTH)).setUpdateIntervalMillis(LINE_MILLIS);
    }

    /** Each state once: the bar draws its last state both when it stops updating and when it closes. */
    private static final class Lines implements Consumer<String> {
        private String last;

        @Override
        public synchronized void accept(String line) {
            String l = line.stripTrailing();
            if (!l.equals(last)) {
                System.err.println(l);
                last = l;
            }
        }
    }

    /**
     * What the script said; without it (the command run some other way), whether the JVM has a console, as Java 21 tells
     * it (none when an output is redirected; later JDKs give one regardless, and the bar is drawn in place as before).
     */
    static boolean terminal() {
        String told = System.getProperty(TERMINAL);
        return told == null ? System.console() != null : Boolean.parseBoolean(told);
    }
}
