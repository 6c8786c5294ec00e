package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.Label;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Etherscan's combined account labels (brianleect/etherscan-labels): one JSON object mapping each
 * address to {@code {name, labels[]}}. Streamed, so every entry keeps its line.
 */
public final class EtherscanCombinedSource implements LabelSource {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Override
    public boolean reads(Path file, String firstLine) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    @Override
    public Result read(Path file) {
        List<Label> labels = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        int other = 0;
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Result(List.of(), List.of(new Rejected(file, 1, "expected an object of address -> {name, labels}")), 0);
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String address = p.currentName();
                long line = p.currentLocation().getLineNr();
                p.nextToken();
                JsonNode entry = p.readValueAsTree();
                try {
                    List<String> words = new ArrayList<>();
                    entry.path("labels").forEach(l -> words.add(l.asString()));
                    String name = entry.path("name").asString("");
                    String entity = name.isBlank() ? (words.isEmpty() ? "" : words.getFirst()) : name;
                    if (entity.isBlank()) {
                        throw new IllegalArgumentException("entry of " + address + " has neither name nor labels");
                    }
                    Optional<io.chaintrace.core.model.Address> a = Owners.of("ETH", address);
                    if (a.isEmpty()) {
                        other++;
                        continue;
                    }
                    labels.add(new Label(a.get(), entity, Categories.etherscan(words), "etherscan", 0.7, String.join(", ", words)));
                } catch (IllegalArgumentException e) {
                    rejected.add(new Rejected(file, line, e.getMessage()));
                }
            }
        } catch (JacksonException e) {
            rejected.add(new Rejected(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "not JSON: " + e.getOriginalMessage()));
        }
        return new Result(labels, rejected, other);
    }
}
