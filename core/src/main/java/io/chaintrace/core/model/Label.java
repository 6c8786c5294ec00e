package io.chaintrace.core.model;

/**
 * An attribution of an address: who it belongs to ({@code entity}, e.g. "Binance"), the category,
 * where the attribution comes from ({@code source}, e.g. "ofac", a TagPack name) and how sure
 * that source is (0..1).
 */
public record Label(Address address, String entity, LabelCategory category, String source, double confidence) {
    public Label {
        if (entity.isBlank()) {
            throw new IllegalArgumentException("a label needs an entity name");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence is between 0 and 1, got " + confidence);
        }
    }
}
