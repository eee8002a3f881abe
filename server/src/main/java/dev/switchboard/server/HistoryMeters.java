package dev.switchboard.server;

import dev.switchboard.history.HistoryLog;
import dev.switchboard.history.MemoryHistory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;

/**
 * A single node's history in {@code /metrics}: {@code switchboard_history_bytes} (kept, off the
 * heap), {@code switchboard_history_budget_bytes}, {@code switchboard_history_entries},
 * {@code switchboard_history_streams} and {@code switchboard_history_evictions_total{cause}}
 * (budget, ttl, size); and the idempotency keys kept ({@code switchboard_idempotency_keys}, at most
 * {@code switchboard_idempotency_keys_max}) and those let go early for room
 * ({@code switchboard_idempotency_keys_evicted_total}). In a cluster all of this is in Redis, which
 * has its own figures.
 */
final class HistoryMeters {
    private HistoryMeters() {
    }

    static void bind(MeterRegistry meters, MemoryHistory history) {
        Gauge.builder("switchboard.history.bytes", history, MemoryHistory::bytes)
                .description("Bytes of history kept (off the heap), all users together").register(meters);
        Gauge.builder("switchboard.history.budget.bytes", history, MemoryHistory::budget)
                .description("The most bytes of history kept (--history-max-bytes)").register(meters);
        Gauge.builder("switchboard.history.entries", history, MemoryHistory::publications)
                .description("Messages kept for recovery, all users together").register(meters);
        Gauge.builder("switchboard.history.streams", history, MemoryHistory::streams)
                .description("Users with a stream (a position, and maybe history)").register(meters);
        Gauge.builder("switchboard.idempotency.keys", history, MemoryHistory::idempotencyKeys)
                .description("Idempotency keys remembered (each for --history-ttl)").register(meters);
        Gauge.builder("switchboard.idempotency.keys.max", history, MemoryHistory::maxIdempotencyKeys)
                .description("The most idempotency keys remembered at once (1/32 of --history-max-bytes)")
                .register(meters);
        FunctionCounter.builder("switchboard.idempotency.keys.evicted", history, MemoryHistory::idempotencyKeysEvicted)
                .description("Idempotency keys let go before --history-ttl because the store was full")
                .register(meters);
        for (HistoryLog.Cause cause : HistoryLog.Cause.values()) {
            FunctionCounter.builder("switchboard.history.evictions", history, h -> h.evictions(cause))
                    .description("Messages let go before a resume asked for them, by cause: budget (the history"
                            + " was full), ttl (older than --history-ttl), size (beyond --history-size or"
                            + " --history-max-bytes-per-user)")
                    .tag("cause", cause.name().toLowerCase(Locale.ROOT)).register(meters);
        }
    }
}
