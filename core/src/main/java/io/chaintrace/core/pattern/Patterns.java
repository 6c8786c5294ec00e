package io.chaintrace.core.pattern;

import java.util.List;

/** The detectors Chaintrace runs, each with its documented default settings. */
public final class Patterns {
    private Patterns() {
    }

    /** A fresh set (detectors with windows keep state per run). */
    public static List<PatternDetector> standard() {
        return PatternSettings.defaults().detectors();
    }
}
