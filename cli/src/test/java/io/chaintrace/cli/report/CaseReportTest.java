package io.chaintrace.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.trace.MemoryLedger;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A leg's graph is whole: every edge joins two of its nodes, also where value went to an output nobody owns. */
class CaseReportTest {
    @Test
    void valueBurntToAnOutputWithoutOwnerIsANodeOfTheGraph() {
        MemoryLedger ledger = new MemoryLedger();
        Address a = Address.parse("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
        Address b = Address.parse("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2");
        Hash256 coinbase = Hash256.fromHex("11".repeat(32));
        Hash256 spend = Hash256.fromHex("22".repeat(32));
        ledger.add(coinbase, new BlockRef(1, Hash256.fromHex("aa".repeat(32)), 1_000), 0, List.of(Outpoint.COINBASE),
                List.of(new TxOutput(0, 50_0000_0000L, ScriptKind.P2WPKH, Optional.of(a))));
        // 10 BTC burnt to an OP_RETURN, 40 BTC to B.
        ledger.add(spend, new BlockRef(2, Hash256.fromHex("bb".repeat(32)), 2_000), 0, List.of(new Outpoint(coinbase, 0)),
                List.of(new TxOutput(0, 10_0000_0000L, ScriptKind.OP_RETURN, Optional.empty()),
                        new TxOutput(1, 40_0000_0000L, ScriptKind.P2PKH, Optional.of(b))));
        TraceResult r = new UtxoTracer(ledger).trace(new TraceRequest(List.of(new Seed.OutpointSeed(new Outpoint(coinbase, 0))),
                TaintPolicy.named("haircut"), 3));
        CaseReport.Leg leg = CaseReport.bitcoin("Bitcoin", r, x -> List.of());
        Set<String> ids = new HashSet<>();
        leg.nodes().forEach(n -> ids.add(n.id()));
        assertEquals(2, leg.edges().size(), leg.edges().toString());
        for (CaseReport.Edge e : leg.edges()) {
            assertTrue(ids.contains(e.source()) && ids.contains(e.target()), e + " joins nodes " + ids);
        }
        assertTrue(ids.contains("btc:no owner:" + new Outpoint(spend, 0)), ids.toString());
    }
}
