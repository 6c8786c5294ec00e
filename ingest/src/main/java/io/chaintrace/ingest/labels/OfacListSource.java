package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OFAC SDN digital currency address lists, one address per line, the currency in the file name
 * ({@code sanctioned_addresses_XBT.txt}, as 0xB10C's extraction writes them).
 */
public final class OfacListSource extends LineSource {
    private static final Pattern NAME = Pattern.compile("sanctioned_addresses_([A-Za-z0-9]+)\\.txt");

    @Override
    public boolean reads(Path file, String firstLine) {
        return NAME.matcher(file.getFileName().toString()).matches();
    }

    @Override
    boolean hasHeader() {
        return false;
    }

    @Override
    List<Label> label(Path file, List<String> header, List<String> fields) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        String currency = m.matches() ? m.group(1).toUpperCase(Locale.ROOT) : "";
        return Owners.of(currency, fields.getFirst())
                .map(a -> List.of(sanctioned(a, "OFAC SDN list"))).orElse(List.of());
    }

    static Label sanctioned(Address a, String entity) {
        return new Label(a, entity, LabelCategory.SANCTIONED, "ofac", 1.0);
    }
}
