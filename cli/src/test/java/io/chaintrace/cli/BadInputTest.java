package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged block files: each stops with one line naming the file and byte offset, exit code 1, and
 * nothing of the damaged file in the store (each input is all or nothing), which keeps what it held
 * and the files before the damaged one. Built from real blocks 0-19.
 */
class BadInputTest {
    static List<byte[]> records;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        records = TestData.records(TestData.blk("firstblocks.blk")).subList(0, 20);
    }

    /** What one run printed on stderr and returned. */
    record Run(int exit, String err) {
        List<String> lines() {
            // Jazzer's agent (the fuzz tests share this JVM) logs each class it instruments on first load to stderr.
            return err.lines().filter(l -> !l.isBlank() && !l.startsWith("INFO: Instrumented ")).toList();
        }
    }

    private Run run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int exit = Chaintrace.run(args);
            return new Run(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private Run ingest(Path file) {
        return run("ingest", "btc-blocks", file.toString(), "--store", dir.resolve("store").toString(), "--no-progress");
    }

    private long storedBlocks() {
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("store"))) {
            return cs.stats().blocks();
        }
    }

    private void assertOneLine(Run r, Path file, long offset, String what) {
        assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
        assertEquals(1, r.lines().size(), "exactly one line, no stack trace:\n" + r.err());
        String line = r.lines().getFirst();
        assertTrue(line.startsWith("chaintrace: error: " + file + ": offset " + offset + ": "), line);
        assertTrue(line.contains(what), line);
    }

    /** The first record of a real block file (framing included) and its transactions as bitcoinj reads them. */
    record RealBlock(byte[] record, List<org.bitcoinj.core.Transaction> transactions) {
    }

    private static RealBlock realBlock(String file) throws IOException {
        byte[] record = TestData.records(TestData.blk(file)).getFirst();
        org.bitcoinj.core.Context.propagate(new org.bitcoinj.core.Context());
        return new RealBlock(record, org.bitcoinj.core.Block.read(ByteBuffer.wrap(record, 8, record.length - 8).slice()).getTransactions());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void truncatedFile() throws IOException {
        List<byte[]> parts = new ArrayList<>(records.subList(0, 10));
        byte[] cut = records.get(10);
        parts.add(java.util.Arrays.copyOf(cut, cut.length / 2));
        Path f = write("truncated.blk", TestData.concat(parts));
        Run r = ingest(f);
        assertOneLine(r, f, TestData.offsetOf(records, 10), "truncated file or corrupt length");
        assertEquals(0, storedBlocks(), "nothing of the damaged file");
    }

    @Test
    void truncatedInsideARecordHeader() throws IOException {
        List<byte[]> parts = new ArrayList<>(records.subList(0, 10));
        parts.add(java.util.Arrays.copyOf(records.get(10), 5));
        Path f = write("cut-header.blk", TestData.concat(parts));
        assertOneLine(ingest(f), f, TestData.offsetOf(records, 10), "truncated record header");
        assertEquals(0, storedBlocks(), "nothing of the damaged file");
    }

    @Test
    void wrongMagic() throws IOException {
        List<byte[]> parts = new ArrayList<>(records);
        byte[] bad = parts.get(10).clone();
        ByteBuffer.wrap(bad).putInt(0x0b110908);
        parts.set(10, bad);
        Path f = write("magic.blk", TestData.concat(parts));
        assertOneLine(ingest(f), f, TestData.offsetOf(records, 10), "wrong magic 0x0b110908, expected 0xf9beb4d9");
        assertEquals(0, storedBlocks(), "nothing of the damaged file");
    }

    @Test
    void lengthPastEndOfFile() throws IOException {
        List<byte[]> parts = new ArrayList<>(records);
        byte[] bad = parts.get(10).clone();
        ByteBuffer.wrap(bad, 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7fff0000);
        parts.set(10, bad);
        Path f = write("length.blk", TestData.concat(parts));
        assertOneLine(ingest(f), f, TestData.offsetOf(records, 10), "record declares a 2147418112-byte block");
        assertEquals(0, storedBlocks(), "nothing of the damaged file");
    }

    @Test
    void aRecordLargerThanABlockCanBe() throws IOException {
        // The bytes are there (a file of 4 MB and more), but no block is larger than 4,000,000 bytes: refused before
        // anything is read into memory for it.
        List<byte[]> parts = new ArrayList<>(records.subList(0, 10));
        byte[] huge = new byte[8 + 4_000_001];
        ByteBuffer.wrap(huge).putInt(0xf9beb4d9).order(ByteOrder.LITTLE_ENDIAN).putInt(4_000_001);
        System.arraycopy(records.get(10), 8, huge, 8, records.get(10).length - 8);
        parts.add(huge);
        Path f = write("huge.blk", TestData.concat(parts));
        assertOneLine(ingest(f), f, TestData.offsetOf(records, 10),
                "record declares a 4000001-byte block, more than the 4000000 bytes a block can be");
        assertEquals(0, storedBlocks(), "nothing of the damaged file");
    }

    @Test
    void garbageBytesInsideABlock() throws IOException {
        List<byte[]> parts = new ArrayList<>(records);
        byte[] bad = parts.get(10).clone();
        // The coinbase output's value sits 50 bytes before the end (value, script length, 65-byte
        // key + OP_CHECKSIG, lock time): damage it. Parsing succeeds; the merkle root does not.
        bad[bad.length - 4 - 67 - 1 - 3] ^= 0x5a;
        parts.set(10, bad);
        Path f = write("garbage.blk", TestData.concat(parts));
        assertOneLine(ingest(f), f, TestData.offsetOf(records, 10), "merkle root");
        assertEquals(0, storedBlocks(), "nothing of the damaged file");
    }

    @Test
    void aChangedWitnessIsRefusedByTheCoinbasesCommitment() throws IOException {
        // A real SegWit block (January 2019): one byte of a witness changed leaves every txid and the header's merkle
        // root as they were; only the coinbase's witness commitment (BIP141) covers it.
        RealBlock real = realBlock("block2019Jan.blk");
        byte[] record = real.record();
        List<org.bitcoinj.core.Transaction> txs = real.transactions();
        int at = org.bitcoinj.core.Block.HEADER_SIZE + org.bitcoinj.base.VarInt.sizeOf(txs.size());
        int witnessByte = -1;
        for (org.bitcoinj.core.Transaction tx : txs) {
            at += tx.messageSize();
            org.bitcoinj.core.TransactionWitness w = tx.getInput(tx.getInputs().size() - 1).getWitness();
            if (!tx.isCoinBase() && w.getPushCount() > 0 && w.getPush(w.getPushCount() - 1).length > 0) {
                witnessByte = 8 + at - 5; // the last witness item's last byte, before the lock time
                break;
            }
        }
        assertTrue(witnessByte > 0, "a SegWit spend in block2019Jan.blk");
        byte[] bad = record.clone();
        bad[witnessByte] ^= 0x10;
        Path f = write("witness.blk", bad);
        assertOneLine(ingest(f), f, 0, "witness commitment of its transactions");
        assertEquals(0, storedBlocks(), "nothing of the damaged file");
        assertEquals(0, ingest(write("intact.blk", record)).exit(), "the block as it was goes in");
        assertEquals(1, storedBlocks());
    }

    @Test
    void aRealBlockWithItsLastTransactionRepeatedIsRefusedThoughItsHeaderIsGood() throws IOException {
        // Block 176,149: 109 transactions, so the last is paired with itself in the merkle tree; repeated, the tree's
        // root and so the header stay the mined ones (CVE-2012-2459), but the block is not the one mined.
        RealBlock real = realBlock("block176149.blk");
        byte[] record = real.record();
        assertEquals(109, real.transactions().size());
        byte[] last = real.transactions().getLast().serialize();
        int body = 8 + org.bitcoinj.core.Block.HEADER_SIZE + 1; // past the framing, the header and the count (one byte below 253)
        ByteBuffer repeated = ByteBuffer.allocate(record.length + last.length).order(ByteOrder.LITTLE_ENDIAN);
        repeated.put(record, 0, 4).putInt(record.length - 8 + last.length).put(record, 8, org.bitcoinj.core.Block.HEADER_SIZE)
                .put((byte) 110).put(record, body, record.length - body).put(last);
        Path f = write("repeated.blk", repeated.array());
        assertOneLine(ingest(f), f, 0, "transaction 109 repeats transaction 108");
        assertEquals(0, storedBlocks(), "nothing of the damaged file");
    }

    @Test
    void aDamagedFileIsRolledBackAndTheStoreIsAsBefore() throws IOException {
        Path good = write("a.blk", TestData.concat(records.subList(0, 10)));
        List<byte[]> rest = new ArrayList<>(records.subList(10, 20));
        byte[] bad = rest.get(5).clone();
        bad[bad.length - 4 - 67 - 1 - 3] ^= 0x5a; // block 15's coinbase value: parses, fails the merkle root
        rest.set(5, bad);
        Path damaged = write("b.blk", TestData.concat(rest));
        assertEquals(0, run("ingest", "btc-blocks", good.toString(), "--store", dir.resolve("store").toString(), "--no-progress").exit());
        String before;
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("store"))) {
            before = cs.digest();
        }
        Run r = run("ingest", "btc-blocks", good.toString(), damaged.toString(), "--store", dir.resolve("store").toString(), "--no-progress");
        long offset = 0;
        for (byte[] rec : records.subList(10, 15)) {
            offset += rec.length;
        }
        assertOneLine(r, damaged, offset, "merkle root");
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("store"))) {
            assertEquals(10, cs.stats().blocks(), "blocks 10-14 were written, then rolled back with the file");
            assertEquals(before, cs.digest(), "the store as it was before the run");
        }
        // Fixed, the file goes in whole: the same store as a clean ingest of both.
        rest.set(5, records.get(15));
        write("b.blk", TestData.concat(rest));
        assertEquals(0, run("ingest", "btc-blocks", good.toString(), damaged.toString(), "--store", dir.resolve("store").toString(),
                "--no-progress").exit());
        assertEquals(0, run("ingest", "btc-blocks", write("all.blk", TestData.concat(records)).toString(), "--store",
                dir.resolve("clean").toString(), "--no-progress").exit());
        try (ChainStore a = ChainStore.openReadOnly(dir.resolve("clean")); ChainStore b = ChainStore.openReadOnly(dir.resolve("store"))) {
            assertEquals(a.stats(), b.stats());
            assertEquals(a.chainDigest(), b.chainDigest());
        }
    }

    @Test
    void garbageBytesAfterTheLastRecord() throws IOException {
        List<byte[]> parts = new ArrayList<>(records);
        parts.add("this is not a block".getBytes(StandardCharsets.US_ASCII));
        Path f = write("trailing.blk", TestData.concat(parts));
        assertOneLine(ingest(f), f, TestData.offsetOf(records, 20), "wrong magic");
        assertEquals(0, storedBlocks(), "nothing of the damaged file");
    }

    @Test
    void garbageWhereABlockShouldBe() throws IOException {
        List<byte[]> parts = new ArrayList<>(records.subList(0, 10));
        byte[] bad = records.get(10).clone();
        java.util.Arrays.fill(bad, 8, bad.length, (byte) 0xff); // framing intact, block bytes garbage
        parts.add(bad);
        Path f = write("noise.blk", TestData.concat(parts));
        Run r = ingest(f);
        // The header is garbage too: refused before any parse, as a node refuses it (no valid target).
        assertOneLine(r, f, TestData.offsetOf(records, 10), "claims a target outside this network's range");
        assertEquals(0, storedBlocks(), "nothing of the damaged file");
    }

    @Test
    void unreadableDirectory() throws Exception {
        // Keep what is stored: ingest blocks 0-9 first.
        Path good = write("good.blk", TestData.concat(records.subList(0, 10)));
        assertEquals(0, ingest(good).exit());
        Path blocks = dir.resolve("blocks");
        Files.createDirectories(blocks);
        Files.write(blocks.resolve("blk00000.dat"), TestData.concat(records));
        Files.setPosixFilePermissions(blocks, PosixFilePermissions.fromString("---------"));
        try {
            // Root reads anything; drop the capabilities that let it, so the directory is unreadable.
            List<String> asUnprivileged = List.of("setpriv", "--inh-caps=-dac_override,-dac_read_search",
                    "--bounding-set=-dac_override,-dac_read_search");
            Process p = TestData.child(asUnprivileged, "ingest", "btc-blocks", blocks.toString(), "--store",
                    dir.resolve("store").toString(), "--no-progress").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
            Run r = new Run(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
            assertEquals(List.of("chaintrace: error: " + blocks + ": cannot read directory: permission denied"), r.lines());
        } finally {
            Files.setPosixFilePermissions(blocks, PosixFilePermissions.fromString("rwx------"));
        }
        assertEquals(10, storedBlocks());
    }

    @Test
    void missingPath() {
        Path nowhere = dir.resolve("no-such-blocks");
        Run r = ingest(nowhere);
        assertEquals(ExitCode.BAD_INPUT, r.exit());
        assertEquals(List.of("chaintrace: error: " + nowhere + ": no such file or directory"), r.lines());
    }

    @Test
    void invalidSeedAndSeedNotInStore() throws IOException {
        assertEquals(0, ingest(write("good.blk", TestData.concat(records))).exit());
        String store = dir.resolve("store").toString();
        Run bad = run("trace", "--store", store, "--seed", "1BoatSLRHtKNngkdXEeobR76b53LETtpyX", "--hops", "2");
        assertEquals(ExitCode.BAD_INPUT, bad.exit());
        assertEquals(1, bad.lines().size(), bad.err());
        assertTrue(bad.lines().getFirst().contains("not a valid Bitcoin or Ethereum address"), bad.err());
        Run absent = run("trace", "--store", store, "--seed",
                "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16:0", "--hops", "2");
        assertEquals(ExitCode.BAD_INPUT, absent.exit());
        assertEquals(1, absent.lines().size(), absent.err());
        assertTrue(absent.lines().getFirst().contains("is not in the store (ingest the blocks that hold it first"), absent.err());
        // A stored transaction's output past its last: a wrong seed; it said "ingest the blocks".
        Run past = run("trace", "--store", store, "--seed", "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:5", "--hops", "2");
        assertEquals(ExitCode.BAD_INPUT, past.exit());
        assertEquals(List.of("chaintrace: error: transaction 0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9 has no output 5"
                + " (its only output is 0)"), past.lines());
    }

    @Test
    void missingStore() {
        Run r = run("stats", "--store", dir.resolve("none").toString(), "--json");
        assertEquals(ExitCode.STORE, r.exit());
        assertEquals(1, r.lines().size());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(r.err().contains("no store here"), r.err());
    }

    @Test
    void unreachableEthereumNodeIsOneLineAndExitCodeFive() throws Exception {
        int port;
        try (java.net.ServerSocket sock = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = sock.getLocalPort();
        }
        Run r = run("ingest", "eth", "--rpc", "http://127.0.0.1:" + port, "--store", dir.resolve("store").toString(), "--no-progress");
        assertEquals(ExitCode.NODE, r.exit(), r.err());
        assertEquals(List.of("chaintrace: error: cannot reach Ethereum node at http://127.0.0.1:" + port + ": connection refused (5 attempts)"),
                r.lines());
    }

    /**
     * A real mainnet block (483,920, as a node answered it; ../shared/data/eth/etl) served on loopback with one transaction's
     * value changed: one line naming the node and the block, exit code 1, nothing stored; served as recorded, it is stored.
     */
    @Test
    void anEthereumBlockChangedOnTheWayIsOneLineAndExitCodeOne() throws Exception {
        Path etl = TestData.shared().resolve("data/eth/etl");
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        var block = json.readTree(etl.resolve("test_export_blocks_job/block_with_logs/web3_response.eth_getBlockByNumber_0x76250_true.json")
                .toFile()).get("result");
        java.util.concurrent.atomic.AtomicBoolean change = new java.util.concurrent.atomic.AtomicBoolean(true);
        com.sun.net.httpserver.HttpServer node = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        node.createContext("/", exchange -> {
            var request = json.readTree(exchange.getRequestBody());
            var answers = json.createArrayNode();
            for (var call : request.isArray() ? request : json.createArrayNode().add(request)) {
                var answer = json.createObjectNode().put("jsonrpc", "2.0").set("id", call.get("id"));
                String method = call.get("method").asString();
                switch (method) {
                    case "eth_chainId" -> answer.put("result", "0x1");
                    case "eth_blockNumber" -> answer.put("result", "0x7625c"); // 483,932: block 483,920 has 12 confirmations
                    case "eth_getBlockByNumber" -> {
                        var b = block.deepCopy();
                        if (change.get()) {
                            ((tools.jackson.databind.node.ObjectNode) b.get("transactions").get(0)).put("value", "0x1");
                        }
                        answer.set("result", b);
                    }
                    case "eth_getTransactionReceipt" -> answer.set("result", json.readTree(etl.resolve(
                            "test_export_receipts_job/receipts_with_logs/web3_response.eth_getTransactionReceipt_"
                                    + call.get("params").get(0).asString() + ".json").toFile()).get("result"));
                    default -> answer.putObject("error").put("code", -32601).put("message", "the method " + method + " does not exist");
                }
                answers.add(answer);
            }
            byte[] out = json.writeValueAsBytes(request.isArray() ? answers : answers.get(0));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            try (var o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        node.start();
        try {
            String url = "http://127.0.0.1:" + node.getAddress().getPort();
            String[] args = {"ingest", "eth", "--rpc", url, "--from", "483920", "--to", "483920", "--no-internal", "--store",
                dir.resolve("store").toString(), "--no-progress"};
            Run r = run(args);
            assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
            assertEquals(1, r.lines().size(), r.err());
            String line = r.lines().getFirst();
            assertTrue(line.startsWith("chaintrace: error: node at " + url + ": block 483920 (0x246edb4b351d93c27926f4649bcf6c24366e2a7c7c"
                    + "718dc9158eea20c03bc6ae) is not the block the chain holds: transaction 0 hashes to 0x"), line);
            assertTrue(line.endsWith("nothing of it was stored"), line);
            try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("store"))) {
                assertEquals(0, cs.ethStats().blocks());
            }
            change.set(false);
            Run again = run(args);
            assertEquals(ExitCode.OK, again.exit(), again.err());
            try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("store"))) {
                assertEquals(1, cs.ethStats().blocks());
                assertTrue(cs.ethBlock(483920).isPresent());
            }
        } finally {
            node.stop(0);
        }
    }

    @Test
    void credentialsInANodeUrlAreNeverPrinted() throws Exception {
        int port;
        try (java.net.ServerSocket sock = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = sock.getLocalPort();
        }
        String key = "0123456789abcdef0123456789abcdef";
        String url = "http://alice:S3cr3t@127.0.0.1:" + port + "/v3/" + key + "?apikey=Q9sK7ZZ";
        for (boolean verbose : new boolean[] {false, true}) {
            List<String> args = new ArrayList<>(List.of("ingest", "eth", "--rpc", url, "--store", dir.resolve("store").toString(), "--no-progress"));
            if (verbose) {
                args.add("-v"); // stack traces too
            }
            Run r = run(args.toArray(String[]::new));
            assertEquals(ExitCode.NODE, r.exit(), r.err());
            for (String secret : List.of("S3cr3t", "alice", key, "Q9sK7ZZ")) {
                assertFalse(r.err().contains(secret), verbose + ": " + secret + " printed:\n" + r.err());
            }
            assertTrue(r.err().contains("cannot reach Ethereum node at http://***@127.0.0.1:" + port + "/v3/***?apikey=***"), r.err());
        }
    }

    @Test
    void badExportRowIsOneLineWithFileAndLine() throws IOException {
        Path f = write("transactions.csv", ("hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value\n"
                + "0xzz,1,0x889c421abc62a48641eee140519e6da8c9dc01d85d8f5c4fbc3c13e3c6e4cb3e,47218,0,0x1406854d149e081ac09cb4ca560da463f3123059,"
                + "0xa0e74ae010d51894734c308d612131056bb721ad,1\n").getBytes(StandardCharsets.US_ASCII));
        Run r = run("ingest", "eth-etl", f.toString(), "--store", dir.resolve("store").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
        assertEquals(1, r.lines().size(), r.err());
        assertTrue(r.lines().getFirst().startsWith("chaintrace: error: " + f + ": line 2: bad transaction row: "), r.err());
    }

    @Test
    void lockedStoreIsOneLineAndExitCodeThree() throws IOException {
        assertEquals(0, ingest(write("good.blk", TestData.concat(records))).exit());
        Path store = dir.resolve("store");
        // Another writer holds RocksDB's lock.
        try (io.chaintrace.graph.ChainStore holder = io.chaintrace.graph.ChainStore.open(store)) {
            Run r = ingest(write("again.blk", TestData.concat(records)));
            assertEquals(ExitCode.STORE, r.exit(), r.err());
            assertEquals(1, r.lines().size(), r.err());
            assertTrue(r.lines().getFirst().startsWith("chaintrace: error: "), r.err());
            assertTrue(r.lines().getFirst().contains(store.toString()) && r.lines().getFirst().contains("lock"), r.err());
            assertTrue(holder.stats().blocks() > 0, "the holder's store is untouched");
        }
    }

    @Test
    void corruptStoreIsOneLineAndExitCodeThree() throws IOException {
        assertEquals(0, ingest(write("good.blk", TestData.concat(records))).exit());
        Path store = dir.resolve("store");
        try (java.util.stream.Stream<Path> files = Files.list(store)) {
            Path manifest = files.filter(f -> f.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
            byte[] b = Files.readAllBytes(manifest);
            for (int i = 0; i < b.length; i += 7) {
                b[i] ^= 0x5a;
            }
            Files.write(manifest, b);
        }
        for (String[] args : List.of(new String[] {"stats", "--store", store.toString()},
                new String[] {"trace", "--store", store.toString(), "--seed", "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0"},
                new String[] {"batch", "--store", store.toString(), "--seeds", write("s.csv", "seed\nab:0\n".getBytes(StandardCharsets.US_ASCII)).toString(),
                        "--out", dir.resolve("r.jsonl").toString(), "--no-progress"})) {
            Run r = run(args);
            assertEquals(ExitCode.STORE, r.exit(), args[0] + ": " + r.err());
            assertEquals(1, r.lines().size(), r.err());
            assertTrue(r.lines().getFirst().startsWith("chaintrace: error: ") && r.lines().getFirst().contains(store.toString()), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void ethereumSeedNotInStoreSaysHowToFetchIt() throws IOException {
        assertEquals(0, ingest(write("good.blk", TestData.concat(records))).exit());
        Run r = run("trace", "--store", dir.resolve("store").toString(), "--seed", "0x52908400098527886E0F7030069857D2E4169EE7", "--hops", "2");
        assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
        assertEquals(1, r.lines().size(), r.err());
        assertTrue(r.lines().getFirst().contains("received nothing in the store (fetch its neighbourhood first: chaintrace fetch eth"), r.err());
    }

    @Test
    void aBatchOfNoBlocksIsAUsageErrorBeforeAnythingIsOpened() {
        Path store = dir.resolve("eth-store");
        Run r = run("ingest", "eth", "--rpc", "http://127.0.0.1:1", "--store", store.toString(), "--batch", "0");
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertTrue(r.lines().getFirst().contains("--batch is at least 1, not 0"), r.err());
        assertFalse(Files.exists(store), "no store made");
        r = run("ingest", "eth", "--rpc", "http://127.0.0.1:1", "--store", store.toString(), "--concurrency", "-2");
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertTrue(r.lines().getFirst().contains("--concurrency is at least 1, not -2"), r.err());
    }
}
