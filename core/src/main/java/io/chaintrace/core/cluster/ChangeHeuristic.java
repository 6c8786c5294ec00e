package io.chaintrace.core.cluster;

import java.util.OptionalInt;

/** Names the change output of a transaction (DOMAIN.md section 6), or abstains. */
public interface ChangeHeuristic {
    String name();

    OptionalInt change(ClusterTx tx);
}
