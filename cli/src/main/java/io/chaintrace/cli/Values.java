package io.chaintrace.cli;

import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.trace.TaintPolicy;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** The values options take, for shell completion ({@code generate-completion}) from the same lists the commands check. */
final class Values {
    private Values() {
    }

    static final class Policies implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return TaintPolicy.ALL.stream().map(TaintPolicy::name).iterator();
        }
    }

    static final class Directions implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("forward", "backward").iterator();
        }
    }

    static final class Categories implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(LabelCategory.values()).map(LabelCategory::id).iterator();
        }
    }

    static final class Formats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("text", "json", "graphml", "gexf", "dot", "jgrapht-json").iterator();
        }
    }

    static final class Levels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("tx", "address", "entity").iterator();
        }
    }
}
