package io.chaintrace.ingest.remote;

import io.chaintrace.ingest.Secrets;
import io.chaintrace.ingest.ServiceException;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One remote HTTP service as every source uses it: a timeout on each request, a requests-per-second
 * ceiling, retries with doubling backoff on transport errors, 429 (waiting what {@code Retry-After}
 * asks) and 5xx, and a count of requests sent. What an answer means is the caller's
 * {@link Judge}: it may ask for a retry (a malformed body) or fail for good (refused credentials).
 * Messages name the service by its URL with credentials hidden ({@link Secrets}).
 */
public final class HttpService implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);
    /** The largest answer read: a block of 4 MB is 8 MB of hex, a batch of 16 of them 128 MB. */
    static final long MAX_BODY = 160L << 20;

    /**
     * @param requestsPerSecond ceiling on the request rate; 0 for none
     */
    public record Settings(Duration timeout, int maxAttempts, Duration firstBackoff, double requestsPerSecond) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(30), 5, Duration.ofMillis(250), 0);

        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1");
            }
            if (requestsPerSecond < 0) {
                throw new IllegalArgumentException("requests per second must not be negative");
            }
        }

        public Settings withRate(double perSecond) {
            return new Settings(timeout, maxAttempts, firstBackoff, perSecond);
        }
    }

    /** An answer: status and body. */
    public record Answer(int status, String body) {
    }

    /** What an answer is worth: a body to use, a retry, or a failure. */
    public sealed interface Verdict {
        record Use() implements Verdict {
        }

        record Retry(String why) implements Verdict {
        }

        record Fail(String why) implements Verdict {
        }

        Verdict USE = new Use();
    }

    /** Judges an answer that came back with HTTP status 200-499 other than 429. */
    @FunctionalInterface
    public interface Judge {
        Verdict of(Answer answer);
    }

    private final String base;
    private final String shown;
    private final String kind;
    private final OkHttpClient http;
    private final Settings settings;
    private final Map<String, String> headers;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final Object pace = new Object();
    private long nextSlotNanos;

    /**
     * @param kind    what the service is, for messages ("Bitcoin Core RPC", "Esplora API")
     * @param base    its URL; user:password in it are not sent here (the caller turns them into a header)
     * @param headers sent with every request (such as Authorization); never shown
     */
    public HttpService(String kind, String base, Settings settings, Map<String, String> headers) {
        this.kind = kind;
        this.shown = Secrets.remember(base);
        this.base = Secrets.withoutUserInfo(base);
        if (okhttp3.HttpUrl.parse(this.base) == null) {
            throw new IllegalArgumentException("not an http:// or https:// URL: " + shown);
        }
        this.settings = settings;
        this.headers = Map.copyOf(headers);
        this.http = new OkHttpClient.Builder()
                .connectTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }

    /** An HTTP Basic {@code Authorization} header, the password and the header's value hidden from every message. */
    public static Map<String, String> basicAuth(String user, String password) {
        String header = okhttp3.Credentials.basic(user, password, java.nio.charset.StandardCharsets.UTF_8);
        Secrets.hide(password, header.substring("Basic ".length()));
        return Map.of("Authorization", header);
    }

    /** The service as it may be shown: "Esplora API at https://host/api" with credentials hidden. */
    public String describe() {
        return kind + " at " + shown;
    }

    /** Requests sent so far, retries included. */
    public long requests() {
        return requests.get();
    }

    /** POSTs a JSON body to the service's URL. */
    public Answer postJson(String body, String what, Judge judge) {
        return exchange(new Request.Builder().url(base).post(RequestBody.create(body, JSON)), what, judge);
    }

    /** Answers served from a cache instead of the service. */
    public long cacheHits() {
        return cacheHits.get();
    }

    /** Where answers are kept between runs: a key to a body (200 answers only). */
    public interface Cache {
        java.util.Optional<String> get(String key);

        void put(String key, String body);

        /** No cache: every answer is asked for. */
        Cache NONE = new Cache() {
            @Override
            public java.util.Optional<String> get(String key) {
                return java.util.Optional.empty();
            }

            @Override
            public void put(String key, String body) {
            }
        };

        /** The store's {@code fetch_cache}: a fetch run again, or resumed after a kill, asks nothing twice. */
        static Cache in(io.chaintrace.graph.FetchSink store) {
            return new Cache() {
                @Override
                public java.util.Optional<String> get(String key) {
                    return store.cachedAnswer(key);
                }

                @Override
                public void put(String key, String body) {
                    store.cacheAnswer(key, body);
                }
            };
        }
    }

    /**
     * GETs {@code path} as {@link #get}, from {@code cache} under {@code key} when it holds it; a 200 answer the
     * judge uses and {@code keep} accepts is kept there.
     */
    public Answer get(String path, String what, Judge judge, Cache cache, String key, java.util.function.Predicate<String> keep) {
        java.util.Optional<String> hit = cache.get(key);
        if (hit.isPresent()) {
            cacheHits.incrementAndGet();
            return new Answer(200, hit.get());
        }
        Answer a = get(path, what, judge);
        if (a.status() == 200 && keep.test(a.body())) {
            cache.put(key, a.body());
        }
        return a;
    }

    /** GETs {@code path} (with its query) below the service's URL. */
    public Answer get(String path, String what, Judge judge) {
        String url = base.endsWith("/") && path.startsWith("/") ? base + path.substring(1) : base + path;
        return exchange(new Request.Builder().url(url).get(), what, judge);
    }

    private Answer exchange(Request.Builder builder, String what, Judge judge) {
        headers.forEach(builder::header);
        Request request = builder.build();
        Duration backoff = settings.firstBackoff();
        String last = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (attempt > 1) {
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
            awaitSlot();
            requests.incrementAndGet();
            Answer answer;
            Duration retryAfter = null;
            try (Response r = http.newCall(request).execute()) {
                answer = new Answer(r.code(), body(r, what));
                retryAfter = r.code() == 429 ? retryAfter(r.header("Retry-After")) : null;
            } catch (IOException e) {
                last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (e instanceof java.net.SocketTimeoutException || e instanceof java.io.InterruptedIOException) {
                    last = "no answer within " + settings.timeout().toSeconds() + " s";
                }
                continue;
            }
            if (answer.status() == 429) {
                last = "HTTP 429 (rate limited)";
                if (retryAfter != null) {
                    sleep(retryAfter);
                    backoff = settings.firstBackoff();
                }
                continue;
            }
            Verdict v = answer.status() >= 500 ? serverError(answer, judge) : judge.of(answer);
            switch (v) {
                case Verdict.Use u -> {
                    return answer;
                }
                case Verdict.Retry r -> last = r.why();
                case Verdict.Fail f -> throw new ServiceException(describe() + ": " + what + ": " + Secrets.scrub(f.why()));
            }
        }
        throw new ServiceException(describe() + ": " + what + " failed after " + settings.maxAttempts() + " attempts: "
                + Secrets.scrub(String.valueOf(last)));
    }

    /** The body as text, refusing one larger than {@link #MAX_BODY}: a service must not exhaust the memory. */
    private String body(Response r, String what) throws IOException {
        if (r.body() == null) {
            return "";
        }
        if (r.body().contentLength() > MAX_BODY) {
            throw new ServiceException(describe() + ": " + what + ": an answer of " + r.body().contentLength() + " bytes, more than any"
                    + " it should send (" + MAX_BODY + ")");
        }
        okio.BufferedSource source = r.body().source();
        if (source.request(MAX_BODY + 1)) {
            throw new ServiceException(describe() + ": " + what + ": an answer of more than " + MAX_BODY + " bytes, more than any it"
                    + " should send");
        }
        return source.getBuffer().readString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A 5xx is a retry unless the caller reads a definite answer in it (Bitcoin Core's RPC errors come as HTTP 500). */
    private static Verdict serverError(Answer answer, Judge judge) {
        Verdict v = judge.of(answer);
        return v instanceof Verdict.Use ? v : new Verdict.Retry("HTTP " + answer.status());
    }

    /** {@code Retry-After}: seconds or an HTTP date, capped. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(java.time.Instant.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException p) {
                return null;
            }
            if (d.isNegative()) {
                d = Duration.ZERO;
            }
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    /** Spaces requests to the configured rate, across threads. */
    private void awaitSlot() {
        if (settings.requestsPerSecond() <= 0) {
            return;
        }
        long gap = (long) (1e9 / settings.requestsPerSecond());
        long wait;
        synchronized (pace) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + gap;
            wait = slot - now;
        }
        if (wait > 0) {
            sleep(Duration.ofNanos(wait));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("interrupted");
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
