package io.chaintrace.benchmarks;

import io.chaintrace.ingest.demo.MainnetShape;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the mainnet-shaped block directory {@code benchmarks/ingest-shape} ingests (once: a "done" marker keeps it for
 * later runs). {@code ShapeBlocks TRANSACTIONS DIR}.
 */
public final class ShapeBlocks {
    private ShapeBlocks() {
    }

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        Path dir = Path.of(args[1]);
        Path done = dir.resolve("done");
        String written = "generator " + MainnetShape.GENERATION + ": ";
        if (Files.exists(done)) {
            String line = Files.readString(done).strip();
            if (line.startsWith(written)) {
                System.out.println("[shape] " + line.substring(written.length()));
                return;
            }
            // Blocks an older generator wrote (before generation 2, without witness commitments) are no longer
            // what the ingest accepts: written again.
            System.out.println("[shape] written by an older generator; writing again");
            Files.delete(done);
            if (Files.exists(dir.resolve("blocks"))) {
                try (var old = Files.walk(dir.resolve("blocks"))) {
                    for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
        long t0 = System.nanoTime();
        long[] last = {0};
        MainnetShape.Summary s = MainnetShape.write(n, 42, dir.resolve("blocks"), txs -> {
            if (txs - last[0] >= 500_000) {
                last[0] = txs;
                System.out.printf("[shape] %,d transactions written (%.0f s)%n", txs, (System.nanoTime() - t0) / 1e9);
            }
        });
        String line = String.format("%,d blocks, %,d transactions, %,d inputs, %,d outputs, %,d bytes in %d files; written in %.1f s", s.blocks(),
                s.transactions(), s.inputs(), s.outputs(), s.bytes(), s.files(), (System.nanoTime() - t0) / 1e9);
        Files.writeString(done, written + line + "\n");
        System.out.println("[shape] " + line);
    }
}
