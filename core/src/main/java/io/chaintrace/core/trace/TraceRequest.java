package io.chaintrace.core.trace;

import io.chaintrace.core.model.LabelCategory;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A trace: from these seeds, this way, under this policy, within these limits. Outputs owned by an
 * address labelled with a {@code stopAt} category are endpoints: reported with the taint they
 * received, and followed further only when {@code throughEndpoints}.
 */
public record TraceRequest(List<Seed> seeds, TaintPolicy policy, Direction direction, Limits limits, Set<LabelCategory> stopAt,
                           boolean throughEndpoints) {
    /** The services a trace stops at unless told otherwise. */
    public static final Set<LabelCategory> SERVICES = EnumSet.of(LabelCategory.EXCHANGE, LabelCategory.DEPOSIT, LabelCategory.BRIDGE,
            LabelCategory.MIXER, LabelCategory.DEX, LabelCategory.SANCTIONED);

    public TraceRequest {
        seeds = List.copyOf(seeds);
        stopAt = stopAt.isEmpty() ? EnumSet.noneOf(LabelCategory.class) : EnumSet.copyOf(stopAt);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a trace needs at least one seed");
        }
    }

    /** Forward, default limits but {@code maxHops}, stopping at labelled services. */
    public TraceRequest(List<Seed> seeds, TaintPolicy policy, int maxHops) {
        this(seeds, policy, Direction.FORWARD, Limits.DEFAULT.withHops(maxHops), SERVICES, false);
    }
}
