package io.chaintrace.cli.app;

import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.compact.CompactTracer;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.trace.TraceResult;
import java.util.List;
import java.util.Map;

/** What a trace found, by the engine that ran it ({@link TraceService} chooses). */
public sealed interface TraceOutcome {
    /** Bitcoin, object tracer: every output reached, the account, and the patterns flagged on it (empty unless asked). */
    record Utxo(TraceResult result, List<Alert> alerts) implements TraceOutcome {
    }

    /** Bitcoin, compact engine: the account and what each endpoint entity received. */
    record Compact(List<String> seeds, CompactTracer.Result result, Map<String, Long> byEntity) implements TraceOutcome {
    }

    /** Ethereum: one result per asset, and the patterns flagged on it (empty unless asked). */
    record Account(List<AccountTrace.Seed> seeds, AccountTrace.Result result, boolean backward, List<Alert> alerts) implements TraceOutcome {
    }
}
