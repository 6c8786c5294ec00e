package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Chaintrace's own CSV: {@code chain,address,label,category,source} (chain: bitcoin or ethereum). */
public final class PlainCsvSource extends LineSource {
    @Override
    public boolean reads(Path file, String firstLine) {
        return firstLine.toLowerCase(Locale.ROOT).replace(" ", "").startsWith("chain,address,label,category");
    }

    @Override
    boolean hasHeader() {
        return true;
    }

    @Override
    List<Label> label(Path file, List<String> header, List<String> fields) {
        String chain = field(header, fields, "chain").toLowerCase(Locale.ROOT);
        Chain c = switch (chain) {
            case "bitcoin", "btc" -> Chain.BITCOIN;
            case "ethereum", "eth" -> Chain.ETHEREUM;
            default -> throw new IllegalArgumentException("unknown chain '" + chain + "' (bitcoin or ethereum)");
        };
        String text = field(header, fields, "address");
        Address a = Address.parse(c == Chain.ETHEREUM ? text.toLowerCase(Locale.ROOT) : text);
        if (a.chain() != c) {
            throw new IllegalArgumentException(text + " is not a " + chain + " address");
        }
        String label = field(header, fields, "label");
        if (label.isEmpty()) {
            throw new IllegalArgumentException("no label for " + text);
        }
        String category = field(header, fields, "category");
        LabelCategory cat;
        try {
            cat = LabelCategory.fromId(category);
        } catch (IllegalArgumentException e) {
            cat = Categories.word(category);
        }
        String source = field(header, fields, "source");
        return List.of(new Label(a, label, cat, source.isEmpty() ? "csv:" + file.getFileName() : source, 1.0, category));
    }
}
