package io.chaintrace.ingest.eth;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint8;

/**
 * What a token contract is: symbol and decimals read once with {@code eth_call} ({@code symbol()},
 * {@code decimals()}), decoded with web3j's ABI decoder; "unknown" symbol and no decimals when the
 * contract does not answer. Thread-safe.
 */
public final class TokenRegistry implements Function<String, Asset> {
    private static final String SYMBOL = "0x95d89b41";
    private static final String DECIMALS = "0x313ce567";
    private final EthRpcClient client;
    private final Map<String, Asset> known = new ConcurrentHashMap<>();

    public TokenRegistry(EthRpcClient client) {
        this.client = client;
    }

    @Override
    public Asset apply(String contract) {
        return known.computeIfAbsent(contract, this::ask);
    }

    private Asset ask(String contract) {
        String symbol = client.ethCall(contract, SYMBOL).flatMap(TokenRegistry::decodeSymbol).orElse("unknown");
        OptionalInt decimals = client.ethCall(contract, DECIMALS).flatMap(TokenRegistry::decodeDecimals)
                .map(OptionalInt::of).orElse(OptionalInt.empty());
        return new Asset(Chain.ETHEREUM, Optional.of(Address.parse(contract)), symbol, decimals);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Optional<String> decodeSymbol(String hex) {
        try {
            List<Type> out = FunctionReturnDecoder.decode(hex, (List) List.of(new TypeReference<Utf8String>() { }));
            if (!out.isEmpty() && !out.getFirst().getValue().toString().isBlank()) {
                return Optional.of(out.getFirst().getValue().toString());
            }
        } catch (RuntimeException e) {
            // not an ABI string: older tokens (MKR) return bytes32
        }
        String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        if (h.length() < 64) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 64; i += 2) {
            int c = Integer.parseInt(h.substring(i, i + 2), 16);
            if (c == 0) {
                break;
            }
            b.append((char) c);
        }
        return b.isEmpty() ? Optional.empty() : Optional.of(b.toString());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Optional<Integer> decodeDecimals(String hex) {
        try {
            List<Type> out = FunctionReturnDecoder.decode(hex, (List) List.of(new TypeReference<Uint8>() { }));
            return out.isEmpty() ? Optional.empty() : Optional.of(((java.math.BigInteger) out.getFirst().getValue()).intValueExact());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
