package io.chaintrace.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Credentials that arrive inside service URLs (a node's {@code user:password@}, an API key as a
 * query value or as a path segment such as {@code /v3/KEY}) and must appear in no output, log,
 * report or exception. {@link #shown} gives the URL to print; {@link #remember} notes the secrets
 * of a URL so that {@link #scrub} removes them from any text, whatever wrapped them (a library's
 * exception message, a stack trace).
 */
public final class Secrets {
    /** A path segment that is a key, not a name: long, and letters mixed with digits (Infura, Alchemy, QuickNode keys). */
    private static final Pattern KEY_SEGMENT = Pattern.compile("(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_-]{16,}");
    private static final String HIDDEN = "***";
    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    /** The URL with its userinfo, query values and key-like path segments replaced by {@code ***}. */
    public static String shown(String url) {
        String s = url;
        for (String secret : secretsOf(url)) {
            s = s.replace(secret, HIDDEN);
        }
        return s;
    }

    /** Notes the secrets of {@code url}, for {@link #scrub}; returns the URL as it may be shown. */
    public static String remember(String url) {
        for (String secret : secretsOf(url)) {
            KNOWN.add(secret);
            KNOWN.add(URLDecoder.decode(secret, StandardCharsets.UTF_8));
        }
        return shown(url);
    }

    /** Notes a secret that came from elsewhere (a cookie file, the environment), for {@link #scrub}. */
    public static void hide(String... secrets) {
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) { // shorter would hide ordinary words
                KNOWN.add(secret);
            }
        }
    }

    /** {@code text} with every remembered secret replaced by {@code ***}, longest first. */
    public static String scrub(String text) {
        if (text == null || KNOWN.isEmpty()) {
            return text;
        }
        List<String> secrets = new ArrayList<>(KNOWN);
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        String s = text;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                s = s.replace(secret, HIDDEN);
            }
        }
        return s;
    }

    /** The user and password of a URL's userinfo, if it has them (decoded). */
    public static String[] userInfo(String url) {
        try {
            String info = new URI(url).getRawUserInfo();
            if (info == null) {
                return new String[0];
            }
            int colon = info.indexOf(':');
            String user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
            String password = colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
            return new String[] {user, password};
        } catch (URISyntaxException e) {
            return new String[0];
        }
    }

    /** The URL without its userinfo (credentials go in a header instead). */
    public static String withoutUserInfo(String url) {
        try {
            URI u = new URI(url);
            if (u.getRawUserInfo() == null) {
                return url;
            }
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), u.getFragment()).toString();
        } catch (URISyntaxException e) {
            return url;
        }
    }

    private static List<String> secretsOf(String url) {
        List<String> out = new ArrayList<>();
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            // Not a URL we can read: treat what would be userinfo by hand.
            int at = url.indexOf('@');
            int scheme = url.indexOf("://");
            if (at > 0 && scheme >= 0 && scheme + 3 < at) {
                out.add(url.substring(scheme + 3, at));
            }
            return out;
        }
        if (u.getRawUserInfo() != null) {
            out.add(u.getRawUserInfo());
            for (String part : u.getRawUserInfo().split(":", 2)) {
                if (part.length() >= 3) {
                    out.add(part);
                }
            }
        }
        if (u.getRawQuery() != null) {
            for (String pair : u.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String value = eq < 0 ? pair : pair.substring(eq + 1);
                if (!value.isEmpty()) {
                    out.add(value);
                }
            }
        }
        if (u.getRawPath() != null) {
            for (String segment : u.getRawPath().split("/")) {
                if (KEY_SEGMENT.matcher(segment).matches()) {
                    out.add(segment);
                }
            }
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return out;
    }
}
