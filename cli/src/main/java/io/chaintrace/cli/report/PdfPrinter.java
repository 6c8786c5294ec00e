package io.chaintrace.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A report's PDF, printed by headless Chromium from the report's own page (its print stylesheet: no filters, the graph
 * as drawn, tables whole), so the PDF says what the page says. Chromium is found at {@code $CHAINTRACE_CHROMIUM}, else
 * on the usual paths; without it the command says so in one line (the HTML is written all the same).
 */
public final class PdfPrinter {
    /** Printing a large report (thousands of edges) takes a few seconds; past this, Chromium is stuck. */
    private static final long TIMEOUT_SECONDS = 180;
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
            "/usr/bin/google-chrome-stable");

    private PdfPrinter() {
    }

    /** Where Chromium is, if anywhere. */
    public static Optional<Path> chromium() {
        String env = System.getenv("CHAINTRACE_CHROMIUM");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * Prints {@code html} to {@code pdf} (written whole: a temporary file moved into place). A PDF already there is
     * replaced only when {@code replace} is set; a symbolic link is never written through.
     */
    public static Path print(Path html, Path pdf, boolean replace) throws IOException {
        if (Files.isSymbolicLink(pdf)) {
            throw new IllegalArgumentException(pdf + " is a symbolic link: the report does not write through it (remove it first)");
        }
        if (Files.exists(pdf) && !replace) {
            throw new IllegalArgumentException(pdf + " exists; rerun with --force to replace it");
        }
        Path chromium = chromium().orElseThrow(() -> new IllegalArgumentException("--pdf prints through headless Chromium, which is not"
                + " installed (apt-get install chromium, or set CHAINTRACE_CHROMIUM to its path); the HTML report is written: "
                + html.toAbsolutePath()));
        Path dir = pdf.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".report", ".pdf.tmp");
        Path profile = Files.createTempDirectory("chaintrace-chromium");
        try {
            List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile, "--no-pdf-header-footer", "--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw",
                    "--print-to-pdf=" + tmp));
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.add(1, "--no-sandbox"); // Chromium refuses to start as root with its sandbox
            }
            cmd.add(html.toAbsolutePath().toUri().toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            boolean done;
            try {
                done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while Chromium printed the report", e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException("Chromium did not print the report within " + TIMEOUT_SECONDS + " s: " + html);
            }
            if (p.exitValue() != 0 || Files.size(tmp) < 5) {
                throw new IOException("Chromium could not print the report (exit " + p.exitValue() + "): " + html);
            }
            Files.move(tmp, pdf, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return pdf;
        } finally {
            Files.deleteIfExists(tmp);
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
