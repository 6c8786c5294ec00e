package io.chaintrace.core.pattern;

import io.chaintrace.core.account.AccountLedger;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Label;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Value paid into a labelled service on an account chain: an exchange or deposit address
 * ({@code cash_out}) or a bridge ({@code bridge}: the value leaves for another chain). Mixer
 * deposits are {@link MixerUseDetector}'s.
 */
public final class ServiceDetector implements PatternDetector {
    private final Map<String, Optional<Label>> labels = new HashMap<>();

    @Override
    public String name() {
        return "service";
    }

    /** The surest label of an address, asked once per run (every transfer asks twice: no lambda allocated per call). */
    private Optional<Label> label(io.chaintrace.core.model.Address a, AccountLedger ledger) {
        Optional<Label> known = labels.get(a.text());
        if (known == null) {
            known = ledger.labelsOf(a).stream().max(Comparator.comparingDouble(Label::confidence));
            labels.put(a.text(), known);
        }
        return known;
    }

    @Override
    public void accept(AccountTransfer t, AccountLedger ledger, Consumer<Alert> alerts) {
        Optional<Label> to = label(t.to(), ledger);
        Optional<Label> from = label(t.from(), ledger);
        if (to.isEmpty() || from.isPresent() && from.get().entity().equals(to.get().entity())
                || to.get().category() == io.chaintrace.core.model.LabelCategory.MIXER) {
            return; // unlabelled, a service moving its own funds, or a mixer (MixerUseDetector's)
        }
        TracePatterns.endpointPattern(to.get().category()).ifPresent(p -> alerts.accept(new Alert(p, List.of(t.txHash()), List.of(t.from(), t.to()), List.of(t.amount().units()),
                List.of(t.block().time()), 0.9, Map.of("entity", to.get().entity(), "category", to.get().category().id(),
                "asset", t.amount().asset().symbol()))));
    }
}
