package io.chaintrace.graph;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import java.util.List;

/** Where a label source writes ({@link ChainStore} implements it). */
public interface LabelSink {
    /** Adds labels to an address, replacing any earlier label with the same source and entity. */
    void putLabels(Address address, List<Label> labels);
}
