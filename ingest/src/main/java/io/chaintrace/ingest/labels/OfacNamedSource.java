package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.Label;
import java.nio.file.Path;
import java.util.List;

/** OFAC-listed Ethereum addresses with the listed party's name: CSV {@code address,name}. */
public final class OfacNamedSource extends LineSource {
    @Override
    public boolean reads(Path file, String firstLine) {
        return firstLine.equalsIgnoreCase("address,name");
    }

    @Override
    boolean hasHeader() {
        return true;
    }

    @Override
    List<Label> label(Path file, List<String> header, List<String> fields) {
        String name = field(header, fields, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no name");
        }
        return Owners.of("ETH", field(header, fields, "address")).map(a -> List.of(OfacListSource.sanctioned(a, name)))
                .orElse(List.of());
    }
}
