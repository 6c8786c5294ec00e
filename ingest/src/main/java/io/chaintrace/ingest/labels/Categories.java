package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.LabelCategory;
import java.util.Collection;
import java.util.Locale;

/**
 * Maps the vocabularies of label sources onto Chaintrace's categories. What a label says the
 * address did wrong (GraphSense {@code abuse}) wins over what kind of actor it is
 * ({@code category}): a sanctioned exchange is reported as sanctioned.
 */
final class Categories {
    private Categories() {
    }

    /** Exchanges whose name alone is the label (Etherscan's per-exchange label lists). */
    private static final java.util.Set<String> EXCHANGES = java.util.Set.of("binance", "coinbase", "kraken", "bitfinex", "huobi",
            "okx", "okex", "kucoin", "bybit", "gemini", "bitstamp", "poloniex", "bittrex", "ftx", "gate.io", "upbit", "bithumb",
            "crypto.com", "bitget", "mexc", "htx");

    /**
     * A GraphSense TagPack's category, abuse and label (any may be null). A label naming OFAC or
     * sanctions marks the address sanctioned even when the pack's category is just "user".
     */
    static LabelCategory tagPack(String category, String abuse, String label) {
        if ((abuse == null || abuse.isBlank()) && label != null) {
            String l = label.toLowerCase(Locale.ROOT);
            if (l.contains("ofac") || l.contains("sanction")) {
                return LabelCategory.SANCTIONED;
            }
        }
        return tagPack(category, abuse);
    }

    /** A GraphSense TagPack's category and abuse (either may be null). */
    static LabelCategory tagPack(String category, String abuse) {
        if (abuse != null && !abuse.isBlank()) {
            String a = abuse.toLowerCase(Locale.ROOT);
            if (a.contains("sanction")) {
                return LabelCategory.SANCTIONED;
            }
            if (a.contains("hack") || a.contains("theft") || a.contains("heist") || a.contains("exploit")) {
                return LabelCategory.THEFT;
            }
            if (a.contains("scam") || a.contains("ponzi") || a.contains("phish") || a.contains("extortion") || a.contains("ransom")) {
                return LabelCategory.SCAM;
            }
            if (a.contains("mix")) {
                return LabelCategory.MIXER;
            }
        }
        return word(category);
    }

    /** A single word such as "exchange", "mixing_service", "bridge", "dex". */
    static LabelCategory word(String category) {
        if (category == null) {
            return LabelCategory.OTHER;
        }
        String c = category.toLowerCase(Locale.ROOT).strip();
        if (c.contains("deposit")) {
            return LabelCategory.DEPOSIT;
        }
        if (c.contains("exchange") || c.equals("cex") || EXCHANGES.contains(c)) {
            return LabelCategory.EXCHANGE;
        }
        if (c.contains("mix") || c.contains("tornado") || c.contains("coinjoin")) {
            return LabelCategory.MIXER;
        }
        if (c.contains("bridge")) {
            return LabelCategory.BRIDGE;
        }
        if (c.contains("dex") || c.contains("swap")) {
            return LabelCategory.DEX;
        }
        if (c.contains("sanction") || c.contains("ofac")) {
            return LabelCategory.SANCTIONED;
        }
        if (c.contains("hack") || c.contains("heist") || c.contains("exploit") || c.contains("theft")) {
            return LabelCategory.THEFT;
        }
        if (c.contains("scam") || c.contains("phish") || c.contains("ponzi")) {
            return LabelCategory.SCAM;
        }
        for (LabelCategory known : LabelCategory.values()) {
            if (known.id().equals(c)) {
                return known;
            }
        }
        return LabelCategory.OTHER;
    }

    /** Etherscan's label words for one address: the most telling one decides. */
    static LabelCategory etherscan(Collection<String> labels) {
        LabelCategory best = LabelCategory.OTHER;
        for (String l : labels) {
            LabelCategory c = word(l);
            if (rank(c) > rank(best)) {
                best = c;
            }
        }
        return best;
    }

    private static int rank(LabelCategory c) {
        return switch (c) {
            case SANCTIONED -> 9;
            case THEFT -> 8;
            case MIXER -> 7;
            case DEPOSIT -> 6;
            case BRIDGE -> 5;
            case EXCHANGE -> 4;
            case DEX -> 3;
            case SCAM -> 2;
            case OTHER -> 0;
        };
    }

    /** GraphSense confidence words, or a number 0..1 / 0..100. */
    static double confidence(String value) {
        if (value == null || value.isBlank()) {
            return 0.5;
        }
        String v = value.toLowerCase(Locale.ROOT).strip();
        return switch (v) {
            case "authority_data", "ownership" -> 1.0;
            case "service_data" -> 0.9;
            case "forensic", "manual_transaction" -> 0.8;
            case "web_crawl", "heuristic" -> 0.5;
            default -> {
                try {
                    double d = Double.parseDouble(v);
                    yield d > 1 ? Math.min(1, d / 100) : Math.max(0, d);
                } catch (NumberFormatException e) {
                    yield 0.5;
                }
            }
        };
    }
}
