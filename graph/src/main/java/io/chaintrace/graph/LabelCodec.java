package io.chaintrace.graph;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stored form of an address's labels: the count, then per label entity, category, source, confidence, and (stores written
 * since the source's own category was kept: the count negated) the source's category. Both forms are read.
 */
final class LabelCodec {
    private LabelCodec() {
    }

    static byte[] encode(List<Label> labels) {
        List<byte[]> parts = new ArrayList<>();
        int size = 4;
        for (Label l : labels) {
            byte[] entity = l.entity().getBytes(StandardCharsets.UTF_8);
            byte[] source = l.source().getBytes(StandardCharsets.UTF_8);
            byte[] own = l.sourceCategory().getBytes(StandardCharsets.UTF_8);
            parts.add(entity);
            parts.add(source);
            parts.add(own);
            size += 4 + entity.length + 1 + 4 + source.length + 8 + 4 + own.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(-labels.size() - 1);
        for (int i = 0; i < labels.size(); i++) {
            Label l = labels.get(i);
            byte[] entity = parts.get(3 * i);
            byte[] source = parts.get(3 * i + 1);
            byte[] own = parts.get(3 * i + 2);
            b.putInt(entity.length).put(entity).put((byte) l.category().ordinal()).putInt(source.length).put(source)
                    .putDouble(l.confidence()).putInt(own.length).put(own);
        }
        return b.array();
    }

    /** Just the categories of stored labels. */
    static java.util.Set<LabelCategory> categories(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        int count = b.getInt();
        boolean own = count < 0;
        int n = own ? -count - 1 : count;
        java.util.EnumSet<LabelCategory> categories = java.util.EnumSet.noneOf(LabelCategory.class);
        for (int i = 0; i < n; i++) {
            int entity = b.getInt();
            b.position(b.position() + entity);
            categories.add(LabelCategory.values()[b.get()]);
            int source = b.getInt();
            b.position(b.position() + source + 8);
            if (own) {
                int length = b.getInt();
                b.position(b.position() + length);
            }
        }
        return categories;
    }

    static List<Label> decode(Address address, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        int count = b.getInt();
        boolean withOwn = count < 0;
        int n = withOwn ? -count - 1 : count;
        List<Label> labels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] entity = new byte[b.getInt()];
            b.get(entity);
            LabelCategory category = LabelCategory.values()[b.get()];
            byte[] source = new byte[b.getInt()];
            b.get(source);
            double confidence = b.getDouble();
            String own = category.id();
            if (withOwn) {
                byte[] o = new byte[b.getInt()];
                b.get(o);
                own = new String(o, StandardCharsets.UTF_8);
            }
            labels.add(new Label(address, new String(entity, StandardCharsets.UTF_8), category, new String(source, StandardCharsets.UTF_8),
                    confidence, own));
        }
        return List.copyOf(labels);
    }
}
