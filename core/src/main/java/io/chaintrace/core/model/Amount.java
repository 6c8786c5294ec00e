package io.chaintrace.core.model;

import java.math.BigInteger;

/**
 * An exact quantity of an asset in its smallest unit (satoshi, wei, token base units). Wei and
 * token amounts exceed 64 bits, hence BigInteger; Bitcoin outputs use plain {@code long} satoshi.
 */
public record Amount(Asset asset, BigInteger units) {
    public Amount {
        if (units.signum() < 0) {
            throw new IllegalArgumentException("negative amount " + units);
        }
    }
}
