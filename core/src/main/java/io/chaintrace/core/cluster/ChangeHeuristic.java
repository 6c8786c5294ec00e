package io.chaintrace.core.cluster;

import java.util.OptionalInt;

/** Names the change output of a transaction (docs/CLUSTERING.md), or abstains. */
public interface ChangeHeuristic {
    String name();

    OptionalInt change(ClusterTx tx);
}
