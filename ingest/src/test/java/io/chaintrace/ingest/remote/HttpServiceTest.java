package io.chaintrace.ingest.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.loopback.EsploraServer;
import io.chaintrace.loopback.Faults;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bitcoinj.base.BitcoinNetwork;
import org.junit.jupiter.api.Test;

/**
 * What every remote source gets from {@link HttpService}: the requests-per-second ceiling holds
 * across requests, a 429 waits what its {@code Retry-After} asks (seconds or an HTTP date), and
 * every request is counted, retries included.
 */
class HttpServiceTest {
    private static final HttpService.Judge ANY = a -> HttpService.Verdict.USE;

    @Test
    void theRateCeilingSpacesRequests() throws IOException {
        try (EsploraServer server = new EsploraServer(BitcoinNetwork.REGTEST, List.of(), 0);
             HttpService http = new HttpService("test API", server.url(), HttpService.Settings.DEFAULT.withRate(20), java.util.Map.of())) {
            long start = System.nanoTime();
            for (int i = 0; i < 11; i++) {
                assertEquals(200, http.get("/blocks/tip/height", "tip", ANY).status());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            // 11 requests at 20 a second: 10 gaps of 50 ms at least.
            assertTrue(millis >= 500, millis + " ms");
            assertEquals(11, http.requests());
            assertEquals(11, server.requests());
        }
    }

    @Test
    void a429WaitsWhatRetryAfterAsksThenSucceeds() throws IOException {
        try (EsploraServer server = new EsploraServer(BitcoinNetwork.REGTEST, List.of(), 0);
             HttpService http = new HttpService("test API", server.url(), new HttpService.Settings(Duration.ofSeconds(5), 3,
                     Duration.ofMillis(1), 0), java.util.Map.of())) {
            server.faults().add(Faults.Fault.RATE_LIMITED, 1); // Retry-After: 1
            long start = System.nanoTime();
            assertEquals(200, http.get("/blocks/tip/height", "tip", ANY).status());
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 1_000, "waited the second Retry-After asked for");
            assertEquals(2, http.requests());
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateAndCapped() {
        assertEquals(Duration.ofSeconds(7), HttpService.retryAfter("7"));
        assertEquals(Duration.ofMinutes(2), HttpService.retryAfter("100000"), "capped");
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        Duration d = HttpService.retryAfter(inTenSeconds);
        assertTrue(d.toSeconds() >= 8 && d.toSeconds() <= 10, d.toString());
        assertEquals(Duration.ZERO, HttpService.retryAfter("Thu, 01 Jan 1970 00:00:00 GMT"), "a date past is now");
        assertNull(HttpService.retryAfter("soon"));
        assertNull(HttpService.retryAfter(null));
    }
}
