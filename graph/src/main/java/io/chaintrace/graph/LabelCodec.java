package io.chaintrace.graph;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Stored form of an address's labels: count, then entity, category, source, confidence each. */
final class LabelCodec {
    private LabelCodec() {
    }

    static byte[] encode(List<Label> labels) {
        List<byte[]> parts = new ArrayList<>();
        int size = 4;
        for (Label l : labels) {
            byte[] entity = l.entity().getBytes(StandardCharsets.UTF_8);
            byte[] source = l.source().getBytes(StandardCharsets.UTF_8);
            parts.add(entity);
            parts.add(source);
            size += 4 + entity.length + 1 + 4 + source.length + 8;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            Label l = labels.get(i);
            byte[] entity = parts.get(2 * i);
            byte[] source = parts.get(2 * i + 1);
            b.putInt(entity.length).put(entity).put((byte) l.category().ordinal()).putInt(source.length).put(source)
                    .putDouble(l.confidence());
        }
        return b.array();
    }

    /** The categories of stored labels, none when there are none. */
    static java.util.Set<LabelCategory> categoriesOrNone(byte[] v) {
        return v == null ? java.util.Set.of() : categories(v);
    }

    /** Just the categories of stored labels. */
    static java.util.Set<LabelCategory> categories(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        int n = b.getInt();
        java.util.EnumSet<LabelCategory> categories = java.util.EnumSet.noneOf(LabelCategory.class);
        for (int i = 0; i < n; i++) {
            int entity = b.getInt();
            b.position(b.position() + entity);
            categories.add(LabelCategory.values()[b.get()]);
            int source = b.getInt();
            b.position(b.position() + source + 8);
        }
        return categories;
    }

    static List<Label> decode(Address address, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        int n = b.getInt();
        List<Label> labels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] entity = new byte[b.getInt()];
            b.get(entity);
            LabelCategory category = LabelCategory.values()[b.get()];
            byte[] source = new byte[b.getInt()];
            b.get(source);
            labels.add(new Label(address, new String(entity, StandardCharsets.UTF_8), category,
                    new String(source, StandardCharsets.UTF_8), b.getDouble()));
        }
        return List.copyOf(labels);
    }
}
