package io.chaintrace.core.model;

/**
 * An attribution of an address: who it belongs to ({@code entity}, e.g. "Binance"), the category,
 * where the attribution comes from ({@code source}, e.g. "ofac", a TagPack name) and how sure
 * that source is (0..1).
 */
public record Label(Address address, String entity, LabelCategory category, String source, double confidence) {
    /** The longest entity or source name kept: names come from other people's files and end up in every report. */
    public static final int MAX_NAME = 256;

    public Label {
        if (entity.isBlank()) {
            throw new IllegalArgumentException("a label needs an entity name");
        }
        if (entity.length() > MAX_NAME || source.length() > MAX_NAME) {
            throw new IllegalArgumentException("a label's entity and source are at most " + MAX_NAME + " characters; this one has "
                    + Math.max(entity.length(), source.length()));
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence is between 0 and 1, got " + confidence);
        }
    }
}
