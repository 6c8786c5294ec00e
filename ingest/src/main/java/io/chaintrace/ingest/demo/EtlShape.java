package io.chaintrace.ingest.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * An ethereum-etl {@code export_all} directory of generated blocks shaped like mainnet's since the merge, for
 * {@code ingest eth-etl} at full-chain shape: the layout and columns ethereum-etl writes ({@code TABLE/start_block=
 * .../end_block=.../TABLE_START_END.csv}, partitions of 10,000 blocks; blocks, transactions with their receipts, traces,
 * token_transfers, tokens), 150 transactions a block: about half plain ether payments, a third ERC-20 calls (one token
 * transfer, a fifth of them a swap of two or three), the rest contract calls whose frames move ether inside (one to
 * three value frames among calls that move none); a transaction in 60 fails, its frames and logs with it. Every
 * transaction has its root frame in traces, as a node's {@code trace_block} gives. Payers from a million accounts, a
 * heavy-tailed share of payees reused (exchanges, routers). Deterministic per seed.
 */
public final class EtlShape {
    /** What was written: the value-moving rows (ether payments, value frames, token transfers with value) among them. */
    public record Summary(long blocks, long transactions, long traces, long tokenTransfers, long valueMoves, long bytes) {
    }

    public static final int PARTITION_BLOCKS = 10_000;
    private static final int TX_PER_BLOCK = 150;
    private static final int ACCOUNTS = 1_000_000;
    private static final int TOKENS = 200;
    private static final int CONTRACTS = 2_000;
    private static final long FIRST_BLOCK = 18_000_000;
    private static final long START = 1_693_000_000L;
    private static final String BLOOM = "0x" + "0".repeat(512);

    private final SplittableRandom rnd;
    private final StringBuilder line = new StringBuilder(1024);
    private long valueMoves;

    private EtlShape(long seed) {
        rnd = new SplittableRandom(seed);
    }

    /** Writes blocks until {@code valueMoves} value-moving rows are written (whole blocks) under {@code dir}. */
    public static Summary write(long valueMoves, long seed, Path dir, LongConsumer progress) throws IOException {
        return write(valueMoves, seed, dir, PARTITION_BLOCKS, progress);
    }

    /** The same in partitions of {@code partitionBlocks} blocks (small ones give a test several parts). */
    public static Summary write(long valueMoves, long seed, Path dir, int partitionBlocks, LongConsumer progress) throws IOException {
        return new EtlShape(seed).run(valueMoves, dir, partitionBlocks, progress);
    }

    private Summary run(long target, Path dir, int partitionBlocks, LongConsumer progress) throws IOException {
        long txs = 0;
        long traces = 0;
        long tokens = 0;
        long bytes = 0;
        long n = FIRST_BLOCK;
        while (valueMoves < target) {
            long end = n + partitionBlocks - 1;
            Partition p = new Partition(dir, n, end);
            try {
                for (; n <= end && valueMoves < target; n++) {
                    long time = START + (n - FIRST_BLOCK) * 12;
                    p.blocks.write(n + "," + hash('b', n) + "," + hash('b', n - 1) + ",0x0000000000000000," + hash('u', 0) + "," + BLOOM + ","
                            + hash('r', n) + "," + hash('s', n) + "," + hash('c', n) + "," + address('m', n % 50) + ",0,,150000,0x,30000000,"
                            + "15000000," + time + "," + TX_PER_BLOCK + ",20000000000,\n");
                    int logIndex = 0;
                    for (int i = 0; i < TX_PER_BLOCK; i++, txs++) {
                        logIndex = transaction(p, n, time, i, txs, logIndex);
                    }
                }
            } finally {
                p.close();
            }
            traces += p.traceRows;
            tokens += p.tokenRows;
            bytes += p.bytes();
            progress.accept(valueMoves);
        }
        return new Summary(n - FIRST_BLOCK, txs, traces, tokens, valueMoves, bytes);
    }

    /** One transaction, its root frame and what it moved; returns the block's next log index. */
    private int transaction(Partition p, long block, long time, int index, long number, int logIndex) throws IOException {
        String tx = hash('t', number);
        String from = account(rnd.nextInt(ACCOUNTS));
        boolean failed = rnd.nextInt(60) == 0;
        int kind = rnd.nextInt(100);
        String to;
        String value;
        String input;
        if (kind < 52) { // a plain payment
            to = payee();
            value = ether();
            input = "0x";
        } else if (kind < 87) { // an ERC-20 call
            to = address('k', rnd.nextInt(TOKENS));
            value = "0";
            input = "0xa9059cbb" + "0".repeat(24) + payee().substring(2) + "0".repeat(48)
                    + hex(new StringBuilder(16), rnd.nextLong(1, Long.MAX_VALUE), 16);
        } else { // a contract call: a router, a bridge, a game
            to = address('c', rnd.nextInt(CONTRACTS));
            value = rnd.nextInt(3) == 0 ? ether() : "0";
            input = "0x" + "7ff36ab5" + "0".repeat(64 * (4 + rnd.nextInt(8)));
        }
        String gasPrice = Long.toString(20_000_000_000L + rnd.nextInt(1_000_000_000));
        p.transactions.write(tx + "," + rnd.nextInt(5_000) + "," + hash('b', block) + "," + block + "," + index + "," + from + "," + to + ","
                + value + ",210000," + gasPrice + "," + input + "," + time + ",40000000000,1000000000,2,"
                + (index + 1) * 60_000 + ",60000,,," + (failed ? 0 : 1) + "," + gasPrice + "\n");
        p.trace(block, tx, index, from, to, value, input, "", failed ? "Reverted" : "", failed ? 0 : 1, 0);
        if (!failed && !value.equals("0")) {
            valueMoves++;
        }
        if (kind >= 52 && kind < 87) {
            int moves = rnd.nextInt(5) == 0 ? 2 + rnd.nextInt(2) : 1;
            for (int k = 0; k < moves; k++) {
                String token = k == 0 ? to : address('k', rnd.nextInt(TOKENS));
                String v = Long.toString(rnd.nextLong(1, 1_000_000_000_000L));
                if (!failed) { // a reverted call's logs are not in the receipt: ethereum-etl has no row for them
                    p.tokenTransfers.write(token + "," + (k == 0 ? from : payee()) + "," + payee() + "," + v + "," + tx + "," + logIndex++ + ","
                            + block + "\n");
                    p.tokenRows++;
                    valueMoves++;
                }
            }
        } else if (kind >= 87) {
            int frames = 2 + rnd.nextInt(4);
            int withValue = 1 + rnd.nextInt(3);
            for (int k = 0; k < frames; k++) {
                String v = k < withValue ? ether() : "0";
                String frameFrom = k == 0 ? to : address('c', rnd.nextInt(CONTRACTS));
                p.trace(block, tx, index, frameFrom, k < withValue ? payee() : address('c', rnd.nextInt(CONTRACTS)), v, "0x", Integer.toString(k),
                        failed ? "Reverted" : "", failed ? 0 : 1, 0);
                if (!failed && !v.equals("0")) {
                    valueMoves++;
                }
            }
        }
        return logIndex;
    }

    /** A payee: a new or rare account mostly, one of a few thousand busy ones (exchanges, routers) a quarter of the time. */
    private String payee() {
        return rnd.nextInt(4) == 0 ? account(rnd.nextInt(3_000)) : account(rnd.nextInt(ACCOUNTS));
    }

    private String ether() {
        return Long.toString(rnd.nextLong(1_000_000_000_000L, 5_000_000_000_000_000_000L));
    }

    private static String account(long n) {
        return address('a', n);
    }

    /** A distinct address per (kind, n): 0x and 40 hex digits. */
    static String address(char kind, long n) {
        StringBuilder b = new StringBuilder(42).append("0x");
        hex(b, kind, 8);
        hex(b, n, 16);
        return hex(b, mix(kind * 31L + n), 16).toString();
    }

    /** A distinct 32-byte hash per (kind, n), as 0x and 64 hex digits. */
    static String hash(char kind, long n) {
        long a = mix(kind * 1_000_003L + n);
        StringBuilder b = new StringBuilder(66).append("0x");
        hex(b, a, 16);
        hex(b, mix(a), 16);
        hex(b, kind * 1_000_000_000_000L + n, 16);
        return hex(b, mix(a + 1), 16).toString();
    }

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    /** The low {@code digits} hex digits of {@code v} (String.format was most of the generator's time). */
    private static StringBuilder hex(StringBuilder b, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            b.append(DIGITS[(int) (v >>> (i * 4)) & 15]);
        }
        return b;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The five tables' files of one partition. */
    private static final class Partition {
        final List<Path> files = new ArrayList<>();
        final BufferedWriter blocks;
        final BufferedWriter transactions;
        final BufferedWriter traces;
        final BufferedWriter tokenTransfers;
        long traceRows;
        long tokenRows;

        Partition(Path dir, long start, long end) throws IOException {
            blocks = open(dir, "blocks", start, end, "number,hash,parent_hash,nonce,sha3_uncles,logs_bloom,transactions_root,state_root,"
                    + "receipts_root,miner,difficulty,total_difficulty,size,extra_data,gas_limit,gas_used,timestamp,transaction_count,"
                    + "base_fee_per_gas,withdrawals_root");
            transactions = open(dir, "transactions", start, end, "hash,nonce,block_hash,block_number,transaction_index,from_address,"
                    + "to_address,value,gas,gas_price,input,block_timestamp,max_fee_per_gas,max_priority_fee_per_gas,transaction_type,"
                    + "receipt_cumulative_gas_used,receipt_gas_used,receipt_contract_address,receipt_root,receipt_status,"
                    + "receipt_effective_gas_price");
            traces = open(dir, "traces", start, end, "block_number,transaction_hash,transaction_index,from_address,to_address,value,input,"
                    + "output,trace_type,call_type,reward_type,gas,gas_used,subtraces,trace_address,error,status,trace_id");
            tokenTransfers = open(dir, "token_transfers", start, end, "token_address,from_address,to_address,value,transaction_hash,log_index,"
                    + "block_number");
            try (BufferedWriter tokens = open(dir, "tokens", start, end, "address,symbol,name,decimals,total_supply,block_number")) {
                if (start == FIRST_BLOCK) {
                    for (int k = 0; k < TOKENS; k++) {
                        tokens.write(address('k', k) + ",TK" + k + ",Token " + k + "," + (k % 3 == 0 ? 6 : 18) + ",1000000000000000000000000,"
                                + start + "\n");
                    }
                }
            }
        }

        private BufferedWriter open(Path dir, String table, long start, long end, String header) throws IOException {
            Path d = dir.resolve(table).resolve(String.format("start_block=%08d", start)).resolve(String.format("end_block=%08d", end));
            Files.createDirectories(d);
            Path f = d.resolve(String.format("%s_%08d_%08d.csv", table, start, end));
            files.add(f);
            BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            w.write(header + "\n");
            return w;
        }

        void trace(long block, String tx, int index, String from, String to, String value, String input, String traceAddress, String error,
                   int status, int subtraces) throws IOException {
            traces.write(block + "," + tx + "," + index + "," + from + "," + to + "," + value + "," + input + ",0x,call,call,,200000,50000,"
                    + subtraces + ",\"" + traceAddress + "\"," + error + "," + status + ",call_" + tx + "_" + traceAddress + "\n");
            traceRows++;
        }

        long bytes() throws IOException {
            long b = 0;
            for (Path f : files) {
                b += Files.size(f);
            }
            return b;
        }

        void close() throws IOException {
            blocks.close();
            transactions.close();
            traces.close();
            tokenTransfers.close();
        }
    }
}
