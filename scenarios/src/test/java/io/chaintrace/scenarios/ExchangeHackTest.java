package io.chaintrace.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.account.AccountTracer;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.TaintPolicy;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo case's Ethereum leg traced in memory: every endpoint entity receives what the case says, and nothing else is reached. */
class ExchangeHackTest {
    private static final ExchangeHack.Case CASE = ExchangeHack.generate(7, 300);

    @ParameterizedTest
    @ValueSource(strings = {"poison", "haircut", "fifo", "lifo", "tiho"})
    void ethereumLegReachesTheExpectedServices(String policy) {
        AccountTrace.Result r = new AccountTracer(CASE.ethLedger()).trace(new AccountTrace.Request(CASE.ethSeeds(), TaintPolicy.named(policy),
                Limits.DEFAULT.withHops(CASE.hopsNeeded()), EnumSet.complementOf(EnumSet.of(LabelCategory.OTHER)), false));
        AccountTrace.AssetResult eth = r.asset("ETH").orElseThrow();
        AccountTrace.AssetResult usdt = r.asset("USDT").orElseThrow();
        Map<String, BigInteger> expectedEth = CASE.expected().get("ETH").get(policy);
        assertEquals(expectedEth, eth.byEntity());
        assertEquals(CASE.expected().get("USDT").get(policy), usdt.byEntity());
        assertEquals(BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(22_000)), eth.account().seeded());
        if (TaintPolicy.named(policy).conserving()) {
            assertTrue(eth.account().balanced(), eth.account().toString());
            // What did not reach a service is still held by the thief's addresses: D4's 500, D5's 2,000 and F's share.
            assertEquals(eth.account().seeded().subtract(expectedEth.values().stream().reduce(BigInteger.ZERO, BigInteger::add)),
                    eth.account().held());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"poison", "haircut", "fifo", "lifo", "tiho"})
    void bitcoinLegReachesTheExpectedServices(String policy) {
        io.chaintrace.core.trace.TraceResult r = new io.chaintrace.core.trace.UtxoTracer(CASE.bitcoin().toLedger()).trace(
                new io.chaintrace.core.trace.TraceRequest(CASE.btcSeeds().stream().map(o -> (io.chaintrace.core.trace.Seed)
                        new io.chaintrace.core.trace.Seed.OutpointSeed(o)).toList(), TaintPolicy.named(policy),
                        io.chaintrace.core.trace.Direction.FORWARD, Limits.DEFAULT.withHops(CASE.hopsNeeded()),
                        io.chaintrace.core.trace.TraceRequest.SERVICES, false));
        Map<String, BigInteger> got = new java.util.TreeMap<>();
        r.byEntity().forEach((k, v) -> got.put(k, BigInteger.valueOf(v)));
        assertEquals(CASE.expected().get("BTC").get(policy), got);
    }
}
