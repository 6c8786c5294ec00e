package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * GraphSense TagPacks (YAML): header fields (label, category, abuse, confidence, currency,
 * source) apply to every tag; a tag may override any of them. Read with snakeyaml-engine's node
 * tree so each tag keeps its line number.
 */
public final class TagPackSource implements LabelSource {
    @Override
    public boolean reads(Path file, String firstLine) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    @Override
    public Result read(Path file) {
        Node root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Compose(LoadSettings.builder().setLabel(file.toString()).build()).composeReader(r)
                    .orElseThrow(() -> new IllegalArgumentException("empty"));
        } catch (IOException e) {
            return new Result(List.of(), List.of(new Rejected(file, 0, "cannot read: " + e.getMessage())), 0);
        } catch (YamlEngineException | IllegalArgumentException e) {
            return new Result(List.of(), List.of(new Rejected(file, 0, "not a TagPack: " + firstLine(e.getMessage()))), 0);
        }
        if (!(root instanceof MappingNode header)) {
            return new Result(List.of(), List.of(new Rejected(file, 1, "not a TagPack: the top level is no mapping")), 0);
        }
        Map<String, String> defaults = scalars(header);
        Node tags = value(header, "tags");
        if (!(tags instanceof SequenceNode list)) {
            return new Result(List.of(), List.of(new Rejected(file, line(header), "a TagPack needs a 'tags' list")), 0);
        }
        String source = "tagpack:" + file.getFileName();
        List<Label> labels = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        int other = 0;
        for (Node tagNode : list.getValue()) {
            long line = line(tagNode);
            if (!(tagNode instanceof MappingNode tag)) {
                rejected.add(new Rejected(file, line, "a tag is a mapping with at least 'address'"));
                continue;
            }
            Map<String, String> f = new HashMap<>(defaults);
            f.putAll(scalars(tag));
            String address = f.get("address");
            String entity = f.getOrDefault("label", f.getOrDefault("actor", ""));
            if (address == null || address.isBlank()) {
                rejected.add(new Rejected(file, line, "tag without an address"));
                continue;
            }
            if (entity.isBlank()) {
                rejected.add(new Rejected(file, line, "tag of " + address + " without a label"));
                continue;
            }
            try {
                Optional<Address> a = Owners.of(f.get("currency"), address);
                if (a.isEmpty()) {
                    other++;
                    continue;
                }
                // The pack's own words: its category, and its abuse type when it gives one.
                String category = f.get("category") == null ? "" : f.get("category").strip();
                String abuse = f.get("abuse") == null ? "" : f.get("abuse").strip();
                String own = abuse.isEmpty() ? category : (category.isEmpty() ? "" : category + " ") + "(abuse: " + abuse + ")";
                labels.add(new Label(a.get(), entity, Categories.tagPack(f.get("category"), f.get("abuse"), entity), source,
                        Categories.confidence(f.get("confidence")), own));
            } catch (IllegalArgumentException e) {
                rejected.add(new Rejected(file, line, e.getMessage()));
            }
        }
        return new Result(labels, rejected, other);
    }

    private static Map<String, String> scalars(MappingNode m) {
        Map<String, String> out = new HashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof ScalarNode v) {
                out.put(k.getValue(), v.getValue());
            }
        }
        return out;
    }

    private static Node value(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static long line(Node n) {
        return n.getStartMark().map(m -> (long) m.getLine() + 1).orElse(0L);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
