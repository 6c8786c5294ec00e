package io.chaintrace.cli.app;

import java.util.Locale;

/** Which tracer runs a Bitcoin trace: the object tracer (every limit and output), or the compact one over the store's rows (fast). */
public enum Engine {
    OBJECT, COMPACT;

    public static Engine named(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "object" -> OBJECT;
            case "compact" -> COMPACT;
            default -> throw new IllegalArgumentException("--engine is object or compact, not " + name);
        };
    }
}
