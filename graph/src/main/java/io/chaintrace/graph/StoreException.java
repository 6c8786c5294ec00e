package io.chaintrace.graph;

import java.nio.file.Path;

/** The store cannot be opened or read: missing, locked by another process, corrupt. Names the store. */
public final class StoreException extends RuntimeException {
    private final Path store;
    private boolean otherVersion;

    public StoreException(Path store, String message, Throwable cause) {
        super("store " + store + ": " + message, cause);
        this.store = store;
    }

    public StoreException(Path store, String message) {
        this(store, message, null);
    }

    public Path store() {
        return store;
    }

    /** Whether the store was written by another version of Chaintrace (its format differs). */
    public boolean otherVersion() {
        return otherVersion;
    }

    StoreException markOtherVersion() {
        otherVersion = true;
        return this;
    }
}
