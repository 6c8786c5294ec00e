package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Etherscan per-label exports ({@code ,Address,Name Tag,Balance,Txn Count}); the label is the
 * file name ({@code binance-deposit.csv}, {@code tornado-cash.csv}, ...), the entity the name tag
 * or, without one, the label.
 */
public final class EtherscanCsvSource extends LineSource {
    @Override
    public boolean reads(Path file, String firstLine) {
        return firstLine.toLowerCase(Locale.ROOT).contains("address,name tag");
    }

    @Override
    boolean hasHeader() {
        return true;
    }

    @Override
    List<Label> label(Path file, List<String> header, List<String> fields) {
        String labelName = file.getFileName().toString().replaceFirst("\\.csv$", "");
        String tag = field(header, fields, "Name Tag");
        LabelCategory category = Categories.word(labelName);
        String entity = tag.isEmpty() ? entityOf(labelName) : tag;
        return Owners.of("ETH", field(header, fields, "Address"))
                .map(a -> List.of(new Label(a, entity, category, "etherscan:" + labelName, 0.7, labelName))).orElse(List.of());
    }

    /** "binance-deposit" -> "Binance". */
    private static String entityOf(String labelName) {
        String base = labelName.replace("-deposit", "").replace('-', ' ');
        return base.isEmpty() ? labelName : Character.toUpperCase(base.charAt(0)) + base.substring(1);
    }
}
