package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels keep the source's own word for their category beside the normalised one ("gambling" where the trace's category
 * is "other"), through the store and back; labels stored before that (no word kept) still read, the word then being the
 * category's own.
 */
class LabelCodecTest {
    static final Address A = Address.parse("0x00000000000000000000000000000000000000aa");

    @Test
    void theSourcesWordSurvivesTheStore(@TempDir java.nio.file.Path dir) {
        List<Label> labels = List.of(new Label(A, "Stake", LabelCategory.OTHER, "tagpack:casinos", 0.8, "gambling"),
                new Label(A, "Someone", LabelCategory.OTHER, "csv:list", 1.0, "suspect"),
                new Label(A, "Binance", LabelCategory.EXCHANGE, "demo", 1.0));
        assertEquals(labels, LabelCodec.decode(A, LabelCodec.encode(labels)));
        assertEquals(EnumSet.of(LabelCategory.OTHER, LabelCategory.EXCHANGE), LabelCodec.categories(LabelCodec.encode(labels)));
        try (ChainStore cs = ChainStore.open(dir.resolve("store"))) {
            cs.putLabels(A, labels);
            assertEquals(Set.of("gambling", "suspect", "exchange"), Set.copyOf(cs.labelsOf(A).stream().map(Label::sourceCategory).toList()));
        }
    }

    @Test
    void labelsStoredWithoutTheWordStillRead() {
        byte[] entity = "Binance".getBytes(StandardCharsets.UTF_8);
        byte[] source = "demo".getBytes(StandardCharsets.UTF_8);
        byte[] old = ByteBuffer.allocate(4 + 4 + entity.length + 1 + 4 + source.length + 8).putInt(1).putInt(entity.length).put(entity)
                .put((byte) LabelCategory.DEPOSIT.ordinal()).putInt(source.length).put(source).putDouble(0.9).array();
        assertEquals(List.of(new Label(A, "Binance", LabelCategory.DEPOSIT, "demo", 0.9, "deposit")), LabelCodec.decode(A, old));
        assertEquals(Set.of(LabelCategory.DEPOSIT), LabelCodec.categories(old));
    }
}
