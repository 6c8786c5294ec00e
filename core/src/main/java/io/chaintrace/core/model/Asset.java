package io.chaintrace.core.model;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What is being moved: a chain's native coin (BTC, ETH) or a token identified by its contract.
 * Symbol and decimals of a token are what its contract answered, when it did.
 */
public record Asset(Chain chain, Optional<Address> contract, String symbol, OptionalInt decimals) {
    public static final Asset BTC = new Asset(Chain.BITCOIN, Optional.empty(), "BTC", OptionalInt.of(8));
    public static final Asset ETH = new Asset(Chain.ETHEREUM, Optional.empty(), "ETH", OptionalInt.of(18));

    public boolean nativeCoin() {
        return contract.isEmpty();
    }
}
