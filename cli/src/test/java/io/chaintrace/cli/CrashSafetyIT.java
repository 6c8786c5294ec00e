package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child ingest at random points, resumes it each time, and checks that the store ends
 * up equal, column family by column family, to one ingest that was never interrupted.
 */
class CrashSafetyIT {
    private static final int KILLS = 6;

    @TempDir
    Path dir;

    private List<String> ingestArgs(Path store) {
        if (ethereum != null) {
            List<String> args = new ArrayList<>(List.of("ingest", "eth-etl"));
            ethereum.forEach(f -> args.add(f.toString()));
            args.addAll(List.of("--store", store.toString(), "--no-progress"));
            return args;
        }
        List<String> args = new ArrayList<>(List.of("ingest", "btc-blocks"));
        for (String f : List.of("firstblocks.blk", "multiblock.blk", "version3.blk", "version4.blk", "scriptwitness.blk",
                "block2019Jan.blk", "scriptwitness2.blk")) {
            args.add(TestData.blk(f).toString());
        }
        args.addAll(List.of("--store", store.toString(), "--no-progress", "--threads", "1"));
        return args;
    }

    /** The ethereum-etl export ingested instead of the block files, when set. */
    private List<Path> ethereum;

    /** The last child's error output, for the message of a failing check. */
    private Path lastErr;

    /**
     * The Bitcoin blocks here are about 9,000 transactions, less than one group of the store's writes by default: the
     * killed ingests write groups of 500 (several blocks each at first, one block each later), so kills land between
     * them; the uninterrupted reference writes the default groups, and the stores must still be equal.
     */
    private static final int GROUP_TXS = 500;
    /**
     * And write the address history in runs of 2,000 keys (a few groups' worth, where the default is millions): kills
     * land between runs, leaving history pending that the resumed ingest rebuilds.
     */
    private static final int HISTORY_RUN = 2_000;

    private Process start(Path store) throws Exception {
        lastErr = dir.resolve("child-" + System.nanoTime() + ".err");
        List<String> jvm = ethereum == null && !store.endsWith("reference")
                ? List.of("-Dchaintrace.store.groupTxs=" + GROUP_TXS, "-Dchaintrace.store.historyRun=" + HISTORY_RUN) : List.of();
        return TestData.child(List.of(), jvm, ingestArgs(store).toArray(String[]::new))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(lastErr.toFile()).start();
    }

    private String lastErr() throws java.io.IOException {
        return Files.exists(lastErr) ? Files.readString(lastErr) : "";
    }

    private static String digestAndBlocks(Path store, long[] blocks) {
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            blocks[0] = cs.stats().blocks() + cs.ethStats().blocks();
            return cs.digest();
        }
    }

    @Test
    void killedIngestsResumeToTheSameStore() throws Exception {
        killAndResume();
    }

    /**
     * The same for an ethereum-etl import, whose blocks are written thousands at a time with the last one's checkpoint:
     * a kill leaves whole batches, and the resumed import skips them. The demo's exchange hack with 60,000 background
     * transfers, over more blocks than one batch holds.
     */
    @Test
    void killedEthereumImportsResumeToTheSameStore() throws Exception {
        ethereum = io.chaintrace.ingest.demo.CaseFiles.write(io.chaintrace.scenarios.ExchangeHack.generate(7, 60_000), dir.resolve("case")).ethereum();
        killAndResume();
    }

    private void killAndResume() throws Exception {
        Path reference = dir.resolve("reference");
        long t0 = System.nanoTime();
        Process p = start(reference);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "uninterrupted ingest");
        long fullMillis = (System.nanoTime() - t0) / 1_000_000;
        long[] total = new long[1];
        String expected = digestAndBlocks(reference, total);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path store = dir.resolve("killed");
        int midIngestKills = 0;
        int resumedToCompletion = 0;
        List<Long> blocksAfterKill = new ArrayList<>();
        // Kill, resume, kill ... until a run completes; check it against the reference; start a
        // fresh store and go again, until enough kills have landed in the middle of an ingest.
        boolean finishNext = false;
        // The writing of blocks is a small part of a child's life (JVM start, reading the files, clustering, the history's
        // last run): about one kill in eight lands in it, so up to 120 runs (the loop ends at the sixth such kill).
        for (int run = 0; run < 120 && midIngestKills < KILLS; run++) {
            Process child = start(store);
            // A kill after the last block (while compacting pages or clustering) is resumed to the end, not killed again:
            // the next run would redo only that tail, and kills there would never land mid-ingest.
            long delay = finishNext ? TimeUnit.SECONDS.toMillis(120) : 150 + (long) (random.nextDouble() * fullMillis);
            finishNext = false;
            if (child.waitFor(delay, TimeUnit.MILLISECONDS)) {
                assertEquals(0, child.exitValue(), "a resumed ingest completes: " + lastErr());
                long[] blocks = new long[1];
                assertEquals(expected, digestAndBlocks(store, blocks),
                        "resumed store equals the uninterrupted one; blocks after each kill: " + blocksAfterKill + " (seed " + seed + ")");
                resumedToCompletion++;
                deleteTree(store);
                continue;
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush, no close
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            if (Files.exists(store.resolve("CURRENT"))) {
                long[] blocks = new long[1];
                digestAndBlocks(store, blocks);
                blocksAfterKill.add(blocks[0]);
                if (blocks[0] > 0 && blocks[0] < total[0]) {
                    midIngestKills++;
                }
                finishNext = blocks[0] == total[0];
            }
        }
        assertTrue(midIngestKills >= KILLS, "SIGKILLed " + midIngestKills + " ingests mid-way; blocks after each kill: "
                + blocksAfterKill + " (seed " + seed + ")");

        Process last = start(store);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, last.exitValue(), "resumed ingest completes");
        long[] blocks = new long[1];
        assertEquals(expected, digestAndBlocks(store, blocks),
                "resumed store equals the uninterrupted one; blocks after each kill: " + blocksAfterKill + " (seed " + seed + ")");
        assertEquals(total[0], blocks[0]);
        System.out.printf("crash safety: %d mid-ingest SIGKILLs, %d resumed stores equal to the reference (seed %d)%n",
                midIngestKills, resumedToCompletion + 1, seed);
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
