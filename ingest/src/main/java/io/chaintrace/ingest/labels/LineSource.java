package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.Label;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

/**
 * Shared reading of row-oriented label files: CSV (with Jackson's CSV parser, which keeps line
 * numbers) or one value per line. Each data row becomes labels, or a rejected row.
 */
abstract class LineSource implements LabelSource {
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY).build();

    /** Whether the first row is a header to skip. */
    abstract boolean hasHeader();

    /** The labels of one row; an empty list skips it as another chain. */
    abstract List<Label> label(Path file, List<String> header, List<String> fields);

    @Override
    public Result read(Path file) {
        List<Label> labels = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        int[] other = {0};
        try {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                List<String> header = null;
                try (MappingIterator<String[]> it = CSV.readerFor(String[].class).readValues(file.toFile())) {
                    while (true) {
                        long line = it.currentLocation().getLineNr();
                        String[] row;
                        try {
                            if (!it.hasNextValue()) {
                                break;
                            }
                            line = it.currentLocation().getLineNr();
                            row = it.nextValue();
                        } catch (JacksonException e) {
                            rejected.add(new Rejected(file, line, "not a CSV row: " + e.getOriginalMessage()));
                            break;
                        }
                        List<String> fields = Arrays.stream(row).map(String::strip).toList();
                        if (header == null && hasHeader()) {
                            header = fields;
                            continue;
                        }
                        accept(file, header == null ? List.of() : header, fields, line, labels, rejected, other);
                    }
                }
            } else {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String text = lines.get(i).strip();
                    if (!text.isEmpty() && !text.startsWith("#")) {
                        accept(file, List.of(), List.of(text), i + 1, labels, rejected, other);
                    }
                }
            }
        } catch (IOException | JacksonException e) {
            rejected.add(new Rejected(file, 0, "cannot read: " + e.getMessage()));
        }
        return new Result(labels, rejected, other[0]);
    }

    private void accept(Path file, List<String> header, List<String> fields, long line, List<Label> labels, List<Rejected> rejected,
                        int[] other) {
        if (fields.stream().allMatch(String::isEmpty)) {
            return;
        }
        try {
            List<Label> l = label(file, header, fields);
            if (l.isEmpty()) {
                other[0]++;
            }
            labels.addAll(l);
        } catch (IllegalArgumentException e) {
            rejected.add(new Rejected(file, line, e.getMessage()));
        }
    }

    /** Field {@code name} of a row by its header, or {@code ""}. */
    static String field(List<String> header, List<String> fields, String name) {
        for (int i = 0; i < header.size() && i < fields.size(); i++) {
            if (header.get(i).equalsIgnoreCase(name)) {
                return fields.get(i);
            }
        }
        return "";
    }

    static String firstLine(Path file) {
        try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String l = r.readLine();
            return l == null ? "" : l.strip();
        } catch (IOException e) {
            return "";
        }
    }
}
