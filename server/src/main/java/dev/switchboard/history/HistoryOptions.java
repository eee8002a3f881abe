package dev.switchboard.history;

import dev.switchboard.core.Durations;
import dev.switchboard.core.Require;

import java.time.Duration;

/**
 * How much of each user's stream is kept for recovery.
 *
 * @param size publications kept per user (0 keeps positions only)
 * @param ttl how long a publication stays recoverable; a stream with no publication and no
 *     connection for this long is dropped
 */
public record HistoryOptions(int size, Duration ttl) {
    public static final int DEFAULT_SIZE = 1000;
    public static final String DEFAULT_TTL = "5m";

    public HistoryOptions {
        if (size < 0) {
            throw new IllegalArgumentException("history-size must be 0 or positive: " + size);
        }
        Require.positive("history-ttl", ttl);
    }

    public static HistoryOptions defaults() {
        return new HistoryOptions(DEFAULT_SIZE, Durations.parse(DEFAULT_TTL));
    }
}
