package io.chaintrace.core.model;

import java.util.Locale;

/** What kind of service or actor a label names; the categories a trace stops at or reports. */
public enum LabelCategory {
    EXCHANGE, DEPOSIT, MIXER, BRIDGE, DEX, SANCTIONED, THEFT, SCAM, OTHER;

    /** Lower-case name as used in files and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LabelCategory fromId(String id) {
        try {
            return valueOf(id.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown label category '" + id + "' (known: " + java.util.Arrays.stream(values())
                    .map(LabelCategory::id).collect(java.util.stream.Collectors.joining(", ")) + ")", e);
        }
    }
}
