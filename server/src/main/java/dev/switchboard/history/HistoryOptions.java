package dev.switchboard.history;

import dev.switchboard.core.Durations;
import dev.switchboard.core.Require;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How much of each user's stream is kept for recovery, and how much in all.
 *
 * @param size publications kept per user (0 keeps positions only)
 * @param ttl how long a publication stays recoverable; a stream with no publication and no
 *     connection for this long is dropped
 * @param maxBytes the most bytes of history kept, all users together (off the Java heap); when it is
 *     full the oldest entries go first
 * @param maxBytesPerUser the most bytes of one user's history (their messages' bytes); beyond it
 *     the user's oldest entries go, as beyond {@code size}
 */
public record HistoryOptions(int size, Duration ttl, long maxBytes, long maxBytesPerUser) {
    /** The default per-user bound: room for the default size of 1 KiB messages. */
    public static final long DEFAULT_MAX_BYTES_PER_USER = 1L << 20;
    public static final int DEFAULT_SIZE = 1000;
    public static final String DEFAULT_TTL = "5m";
    /** The default budget is this fraction of the machine's memory... */
    static final int MEMORY_FRACTION = 16;
    /** ...but at least this... */
    static final long MIN_DEFAULT_BYTES = 64L << 20;
    /** ...and at most this. */
    static final long MAX_DEFAULT_BYTES = 1L << 30;

    public HistoryOptions {
        if (size < 0) {
            throw new IllegalArgumentException("history-size must be 0 or positive: " + size);
        }
        Require.positive("history-ttl", ttl);
        if (maxBytes < HistoryLog.MIN_SEGMENT_BYTES * 2L) {
            throw new IllegalArgumentException("history-max-bytes must be at least " + HistoryLog.MIN_SEGMENT_BYTES * 2
                    + ": " + maxBytes);
        }
        if (maxBytesPerUser <= 0) {
            throw new IllegalArgumentException("history-max-bytes-per-user must be positive: " + maxBytesPerUser);
        }
    }

    /** A size and TTL with the default budgets. */
    public HistoryOptions(int size, Duration ttl) {
        this(size, ttl, defaultMaxBytes(), DEFAULT_MAX_BYTES_PER_USER);
    }

    public static HistoryOptions defaults() {
        return new HistoryOptions(DEFAULT_SIZE, Durations.parse(DEFAULT_TTL), defaultMaxBytes(),
                DEFAULT_MAX_BYTES_PER_USER);
    }

    /**
     * The default budget: a sixteenth of the machine's memory, between 64 MiB and 1 GiB. History
     * only bridges reconnects (minutes of messages); the heap may take half the memory
     * ({@code bin/switchboard}), so a sixteenth leaves the rest of the process and the system room.
     * 1 GiB holds about five million 200-byte messages.
     */
    public static long defaultMaxBytes() {
        long memory = MAX_DEFAULT_BYTES * MEMORY_FRACTION;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return Math.max(MIN_DEFAULT_BYTES, Math.min(MAX_DEFAULT_BYTES, memory / MEMORY_FRACTION));
    }
}
