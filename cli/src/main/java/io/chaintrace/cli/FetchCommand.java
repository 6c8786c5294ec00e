package io.chaintrace.cli;

import io.chaintrace.cli.app.IngestProgress;
import io.chaintrace.core.model.Address;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.eth.EthRpcClient;
import io.chaintrace.ingest.eth.EthSeedFetcher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chaintrace fetch eth}: pull only a seed's neighbourhood from a node. */
@Command(name = "fetch", mixinStandardHelpOptions = true, description = "Pull the neighbourhood of a seed from a node.",
        subcommands = {FetchCommand.Eth.class})
final class FetchCommand {

    @Command(name = "eth", mixinStandardHelpOptions = true,
            description = {"Follow an Ethereum address hop by hop with trace_filter and Transfer-log filters, and store",
                "the blocks that hold its transfers (for investigators without a full index)."})
    static final class Eth implements Callable<Integer> {
        @Option(names = "--rpc", required = true, description = "JSON-RPC URL of a node with trace_filter.")
        String rpc;

        @Option(names = "--seed", required = true, description = "Ethereum address to start from.")
        String seed;

        @Option(names = "--hops", defaultValue = "3", description = "Hops to follow (default: ${DEFAULT-VALUE}).")
        int hops;

        @Option(names = "--from-block", defaultValue = "0", description = "First block to search (default: ${DEFAULT-VALUE}).")
        long fromBlock;

        @Option(names = "--to-block", description = "Last block to search (default: head).")
        Long toBlock;

        @Option(names = "--store", required = true, description = "Store directory (created if missing).")
        Path store;

        @Override
        public Integer call() {
            Address address = Address.parse(seed);
            try (ChainStore cs = ChainStore.open(store); EthRpcClient client = new EthRpcClient(rpc, EthRpcClient.Settings.DEFAULT);
                 IngestProgress progress = new IngestProgress(true, "transfers")) {
                EthSeedFetcher.Summary s = new EthSeedFetcher(cs, client, progress)
                        .fetch(address, hops, fromBlock, toBlock == null ? Long.MAX_VALUE : toBlock);
                progress.close();
                System.err.printf("%d hops from %s: %,d addresses, %,d blocks (%,d new), %,d transfers stored%n", hops, address.text(),
                        s.addresses().size(), s.blocks().size(), s.newBlocks(), s.transfers());
            }
            return ExitCode.OK;
        }
    }
}
