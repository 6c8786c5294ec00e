package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Which chain a label row's currency and address belong to. */
final class Owners {
    /** Tokens that live on Ethereum when the address is an 0x address. */
    private static final Set<String> ETHEREUM = Set.of("ETH", "ERC20", "USDT", "USDC", "DAI", "WETH", "WBTC");
    private static final Set<String> BITCOIN = Set.of("BTC", "XBT");

    private Owners() {
    }

    /**
     * The address on a chain Chaintrace follows, or empty when the row is for another chain.
     *
     * @throws IllegalArgumentException when the row is for Bitcoin or Ethereum but the address is invalid
     */
    static Optional<Address> of(String currency, String address) {
        String cur = currency == null ? "" : currency.strip().toUpperCase(Locale.ROOT);
        String a = address.strip();
        boolean hex = a.startsWith("0x") || a.startsWith("0X");
        if (BITCOIN.contains(cur) || (cur.isEmpty() && !hex)) {
            Address parsed = Address.parse(a);
            if (parsed.chain() != Chain.BITCOIN) {
                throw new IllegalArgumentException("not a Bitcoin address: " + a);
            }
            return Optional.of(parsed);
        }
        if (hex && (ETHEREUM.contains(cur) || cur.isEmpty())) {
            return Optional.of(Address.parse(a.toLowerCase(Locale.ROOT)));
        }
        if (cur.equals("ETH")) {
            throw new IllegalArgumentException("not an Ethereum address: " + a);
        }
        return Optional.empty();
    }
}
