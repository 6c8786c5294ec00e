package io.chaintrace.core.model;

/**
 * An attribution of an address: who it belongs to ({@code entity}, e.g. "Binance"), the category,
 * where the attribution comes from ({@code source}, e.g. "ofac", a TagPack name), how sure
 * that source is (0..1), and the source's own words for the category ({@code sourceCategory}, e.g. "gambling" or
 * "darknet market" where {@code category} says "other" or "scam"): the normalised category decides where a trace
 * stops, the source's word is what a report shows beside it.
 */
public record Label(Address address, String entity, LabelCategory category, String source, double confidence, String sourceCategory) {
    /** The longest entity or source name kept: names come from other people's files and end up in every report. */
    public static final int MAX_NAME = 256;

    /** A label whose source uses the normalised category's own word. */
    public Label(Address address, String entity, LabelCategory category, String source, double confidence) {
        this(address, entity, category, source, confidence, category.id());
    }

    public Label {
        sourceCategory = sourceCategory == null || sourceCategory.isBlank() ? category.id() : sourceCategory.strip();
        if (sourceCategory.length() > MAX_NAME) {
            sourceCategory = sourceCategory.substring(0, MAX_NAME);
        }
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
