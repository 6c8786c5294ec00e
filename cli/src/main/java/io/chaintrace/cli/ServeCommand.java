package io.chaintrace.cli;

import io.chaintrace.cli.serve.CaseServer;
import io.chaintrace.cli.serve.SavedCases;
import io.chaintrace.cli.serve.Workspace;
import io.chaintrace.graph.ChainStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code chaintrace serve}: a local web workspace over a store (docs/SERVE.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"A local web workspace over the store: look up addresses, transactions and labels; open a case from seeds and",
            "expand it node by node under a policy (amounts, labels, patterns); annotate; save and load case files; export the report.",
            "On 127.0.0.1 unless --bind names another interface, which needs --token-file. The REST API: /openapi.yaml."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, description = "Store directory (opened read-only).")
    Path store;

    @Option(names = "--port", defaultValue = "8737", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}); any other needs --token-file.")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the token every API call must carry (Authorization: Bearer)."
            + " Open the page as URL#token=TOKEN. Never printed.")
    Path tokenFile;

    @Option(names = "--cases", defaultValue = "chaintrace-cases", paramLabel = "DIR",
            description = "Where case files and exported reports go (default: ${DEFAULT-VALUE}).")
    Path cases;

    @ParentCommand
    Chaintrace root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "--port is 0-65535, not " + port);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "--bind: not an address of this machine: " + bind);
        }
        Optional<String> token = Optional.empty();
        if (tokenFile != null) {
            String t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            if (t.length() < 16) {
                throw new IllegalArgumentException(tokenFile + ": a token is at least 16 characters");
            }
            token = Optional.of(t);
        }
        if (!address.isLoopbackAddress() && token.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "serving on " + address.getHostAddress()
                    + " (not this machine's loopback) needs a token: --token-file FILE");
        }
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            System.err.println("serve: reading the store's digest (a saved case records the data it was made on)...");
            String digest = cs.chainDigest();
            Workspace workspace = new Workspace(cs, store, root.patterns(), Chaintrace.VERSION, digest);
            CountDownLatch stopped = new CountDownLatch(1);
            try (CaseServer server = new CaseServer(workspace, new SavedCases(cases), address, port, token, System.err::println)) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.close();
                    stopped.countDown();
                }));
                System.out.println("Chaintrace workspace: " + server.uri() + (token.isPresent() ? "#token=<the token in " + tokenFile + ">" : "")
                        + "   (store " + store.toAbsolutePath() + "; cases in " + cases.toAbsolutePath() + "; Ctrl-C stops it)");
                System.out.println("API: " + server.uri() + "openapi.yaml");
                System.out.flush();
                stopped.await();
            }
        }
        return ExitCode.OK;
    }
}
