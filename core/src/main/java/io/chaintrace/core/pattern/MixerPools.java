package io.chaintrace.core.pattern;

import io.chaintrace.core.account.AccountLedger;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tornado Cash style pools: addresses labelled as mixers that take fixed denominations of ETH
 * (0.1, 1, 10, 100 by default). A deposit pays the pool exactly a denomination; a withdrawal is
 * the largest payment out of a pool in a transaction (the rest is the relayer's fee).
 */
public record MixerPools(List<BigInteger> denominations) {
    private static final BigInteger ETHER = BigInteger.TEN.pow(18);
    public static final MixerPools TORNADO = new MixerPools(List.of(ETHER.divide(BigInteger.TEN), ETHER, ETHER.multiply(BigInteger.TEN),
            ETHER.multiply(BigInteger.valueOf(100))));

    /** A labelled mixer address and its label, cached per detector run. */
    static final class Lookup {
        private final AccountLedger ledger;
        private final Map<String, Optional<Label>> cache = new HashMap<>();

        Lookup(AccountLedger ledger) {
            this.ledger = ledger;
        }

        Optional<Label> mixer(Address a) {
            Optional<Label> known = cache.get(a.text()); // asked for every transfer: no lambda allocated per call
            if (known == null) {
                known = ledger.labelsOf(a).stream().filter(l -> l.category() == LabelCategory.MIXER).findFirst();
                cache.put(a.text(), known);
            }
            return known;
        }
    }

    boolean deposit(AccountTransfer t, Lookup pools) {
        return t.amount().asset().contract().isEmpty() && denominations.contains(t.amount().units()) && pools.mixer(t.to()).isPresent();
    }

    /** The withdrawal in a transaction: the largest ETH payment out of a pool to an address that is not one. */
    static Optional<AccountTransfer> withdrawal(List<AccountTransfer> tx, Lookup pools) {
        AccountTransfer largest = null;
        for (AccountTransfer t : tx) {
            if (t.amount().asset().contract().isEmpty() && pools.mixer(t.from()).isPresent() && pools.mixer(t.to()).isEmpty()
                    && (largest == null || t.amount().units().compareTo(largest.amount().units()) > 0)) {
                largest = t;
            }
        }
        return Optional.ofNullable(largest);
    }

    /** The pool's name: its label's entity. */
    static String pool(Label l) {
        return l.entity();
    }
}
