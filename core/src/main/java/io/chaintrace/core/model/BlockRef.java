package io.chaintrace.core.model;

/**
 * Where a transaction was confirmed. {@code height} is {@link #UNKNOWN_HEIGHT} when the block's
 * ancestry is not in the store and the block does not state its height (BIP34 starts at version 2).
 */
public record BlockRef(int height, Hash256 hash, long time) {
    public static final int UNKNOWN_HEIGHT = -1;

    public boolean heightKnown() {
        return height != UNKNOWN_HEIGHT;
    }
}
