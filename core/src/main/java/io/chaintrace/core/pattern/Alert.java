package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A flagged pattern with its evidence: the transactions (in order), the addresses and amounts
 * (exact base units: satoshi, wei) that make the case, their block times, how sure the rule is,
 * and the rule's settings so the finding can be reproduced.
 */
public record Alert(String pattern, List<Hash256> transactions, List<Address> addresses, List<BigInteger> amounts, List<Long> times,
                   double confidence, Map<String, String> parameters) {
    public Alert {
        transactions = List.copyOf(transactions);
        addresses = List.copyOf(addresses);
        amounts = List.copyOf(amounts);
        times = List.copyOf(times);
        parameters = Map.copyOf(parameters);
    }

    /** An alert with amounts in satoshi. */
    public static Alert of(String pattern, List<Hash256> transactions, List<Address> addresses, List<Long> satoshi, List<Long> times,
                           double confidence, Map<String, String> parameters) {
        return new Alert(pattern, transactions, addresses, satoshi.stream().map(BigInteger::valueOf).toList(), times, confidence, parameters);
    }
}
