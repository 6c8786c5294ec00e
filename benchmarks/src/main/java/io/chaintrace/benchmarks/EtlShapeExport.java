package io.chaintrace.benchmarks;

import io.chaintrace.ingest.demo.EtlShape;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the mainnet-shaped ethereum-etl export {@code benchmarks/ingest-etl} imports (once: a "done" marker keeps it for
 * later runs). {@code EtlShapeExport TRANSFERS DIR [BLOCKS_PER_PARTITION]} (ethereum-etl's default, 10,000, when not given).
 */
public final class EtlShapeExport {
    private EtlShapeExport() {
    }

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        Path dir = Path.of(args[1]);
        int partition = args.length > 2 ? Integer.parseInt(args[2]) : EtlShape.PARTITION_BLOCKS;
        if (Files.exists(dir.resolve("done"))) {
            System.out.println("[etl-shape] " + Files.readString(dir.resolve("done")).strip());
            return;
        }
        long t0 = System.nanoTime();
        long[] last = {0};
        EtlShape.Summary s = EtlShape.write(n, 42, dir.resolve("export"), partition, moves -> {
            if (moves - last[0] >= 1_000_000) {
                last[0] = moves;
                System.out.printf("[etl-shape] %,d value moves written (%.0f s)%n", moves, (System.nanoTime() - t0) / 1e9);
            }
        });
        String line = String.format("%,d blocks, %,d transactions, %,d traces, %,d token transfers, %,d value moves, %,d bytes; written in %.1f s",
                s.blocks(), s.transactions(), s.traces(), s.tokenTransfers(), s.valueMoves(), s.bytes(), (System.nanoTime() - t0) / 1e9);
        Files.writeString(dir.resolve("done"), line + "\n");
        System.out.println("[etl-shape] " + line);
    }
}
