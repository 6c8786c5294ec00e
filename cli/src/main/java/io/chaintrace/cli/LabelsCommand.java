package io.chaintrace.cli;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.labels.LabelImporter;
import io.chaintrace.ingest.labels.LabelSource;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chaintrace labels}: attributions that tell a trace where to stop. */
@Command(name = "labels", mixinStandardHelpOptions = true, description = "Import and show address labels.",
        subcommands = {LabelsCommand.Import.class, LabelsCommand.Show.class})
final class LabelsCommand {

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import label files: GraphSense TagPacks (YAML), OFAC sanctioned_addresses_*.txt and address,name CSV,",
                "Etherscan exports (combined JSON, per-label CSV), or CSV chain,address,label,category,source.",
                "Invalid rows are reported with file and line and skipped."})
    static final class Import implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Option(names = "--store", required = true, description = "Store directory (created if missing).")
        Path store;

        @Override
        public Integer call() {
            int rejected = 0;
            try (ChainStore cs = ChainStore.open(store)) {
                LabelImporter importer = new LabelImporter(cs);
                for (Path f : files) {
                    LabelImporter.FileReport r = importer.importFile(f);
                    for (LabelSource.Rejected rej : r.rejected()) {
                        System.err.println("chaintrace: skipped: " + rej);
                    }
                    rejected += r.rejected().size();
                    System.out.printf("%s (%s): %,d labels %s%s%s%n", f, r.format(), r.labels(), r.byCategory(),
                            r.rejected().isEmpty() ? "" : ", " + r.rejected().size() + " rows skipped",
                            r.otherChains() == 0 ? "" : ", " + r.otherChains() + " rows for other chains");
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Labels of an address.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "ADDRESS")
        String address;

        @Option(names = "--store", required = true, description = "Store directory.")
        Path store;

        @Override
        public Integer call() {
            Address a = Address.parse(address);
            try (ChainStore cs = ChainStore.openReadOnly(store)) {
                List<Label> labels = cs.labelsOf(a);
                if (labels.isEmpty()) {
                    System.out.println(a.text() + ": no labels");
                }
                for (Label l : labels) {
                    System.out.printf("%s  %-10s %s  (source %s%s, confidence %.2f)%n", a.text(), l.category().id(), l.entity(), l.source(),
                            l.sourceCategory().equals(l.category().id()) ? "" : ", its category: " + l.sourceCategory(), l.confidence());
                }
            }
            return ExitCode.OK;
        }
    }
}
