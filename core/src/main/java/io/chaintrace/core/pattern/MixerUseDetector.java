package io.chaintrace.core.pattern;

import io.chaintrace.core.account.AccountLedger;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Label;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Mixer deposits and withdrawals (docs/PATTERNS.md): a payment of exactly a pool denomination
 * to a labelled mixer pool is a deposit; the largest payment out of a pool in a transaction is a
 * withdrawal to its recipient (the other payments are the relayer's fee).
 */
public final class MixerUseDetector implements PatternDetector {
    private final MixerPools pools;
    private final TxBuffer buffer = new TxBuffer();
    private MixerPools.Lookup lookup;

    public MixerUseDetector(MixerPools pools) {
        this.pools = pools;
    }

    @Override
    public String name() {
        return "mixer";
    }

    @Override
    public void accept(AccountTransfer t, AccountLedger ledger, Consumer<Alert> alerts) {
        if (lookup == null) {
            lookup = new MixerPools.Lookup(ledger);
        }
        buffer.add(t, tx -> transaction(tx, alerts));
    }

    @Override
    public void finish(Consumer<Alert> alerts) {
        buffer.flush(tx -> transaction(tx, alerts));
    }

    private void transaction(List<AccountTransfer> tx, Consumer<Alert> alerts) {
        for (AccountTransfer t : tx) {
            if (pools.deposit(t, lookup)) {
                alerts.accept(alert("mixer.deposit", t, lookup.mixer(t.to()).orElseThrow()));
            }
        }
        Optional<AccountTransfer> out = MixerPools.withdrawal(tx, lookup);
        out.ifPresent(t -> alerts.accept(alert("mixer.withdrawal", t, lookup.mixer(t.from()).orElseThrow())));
    }

    private static Alert alert(String pattern, AccountTransfer t, Label pool) {
        return new Alert(pattern, List.of(t.txHash()), List.of(t.from(), t.to()), List.of(t.amount().units()), List.of(t.block().time()), 0.95,
                Map.of("pool", MixerPools.pool(pool)));
    }
}
