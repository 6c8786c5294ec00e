package io.chaintrace.scenarios;

import io.chaintrace.core.model.Hash256;
import java.util.ArrayList;
import java.util.List;

/** Collects generated transactions and closes them into blocks, each the child of the last. */
final class BlockBuilder {
    private final ScenarioIds ids;
    private final List<Scenario.Block> blocks = new ArrayList<>();
    private final List<Scenario.Tx> pending = new ArrayList<>();

    BlockBuilder(ScenarioIds ids) {
        this.ids = ids;
    }

    void add(Scenario.Tx tx) {
        pending.add(tx);
    }

    int pending() {
        return pending.size();
    }

    /** Closes the pending transactions into a block with this time (nothing when none is pending). */
    void seal(long time) {
        if (pending.isEmpty()) {
            return;
        }
        int height = blocks.size();
        Hash256 parent = blocks.isEmpty() ? Hash256.ZERO : blocks.getLast().hash();
        blocks.add(new Scenario.Block(height, ids.hash(), parent, time, List.copyOf(pending)));
        pending.clear();
    }

    int height() {
        return blocks.size();
    }

    List<Scenario.Block> blocks() {
        return List.copyOf(blocks);
    }
}
