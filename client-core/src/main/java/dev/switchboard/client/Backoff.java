package dev.switchboard.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with equal jitter: attempt {@code n} (from 0) waits a uniformly random time in
 * {@code [d/2, d]}, where {@code d = min(max, first * 2^n)}. Half of every delay is certain, so a
 * client never hammers a server that just went down; the other half is random, so clients dropped
 * together (a server restart) spread their returns. Pure logic; not thread-safe (the client's own
 * thread owns it).
 */
final class Backoff {
    /** Past this, doubling cannot change anything: even a 1 ns first delay has passed any cap. */
    private static final int MAX_EXPONENT = 62;

    private final long firstNanos;
    private final long maxNanos;
    private final DoubleSupplier random;
    private int attempt;

    /** @param random values in {@code [0, 1)}; injected so tests see the exact delays */
    Backoff(Duration first, Duration max, DoubleSupplier random) {
        this.firstNanos = first.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The delay before the next attempt; each call counts an attempt. */
    Duration next() {
        double ceiling = Math.min((double) maxNanos, firstNanos * Math.pow(2, attempt));
        if (attempt < MAX_EXPONENT) {
            attempt++;
        }
        double jittered = ceiling / 2 + ceiling / 2 * random.getAsDouble();
        return Duration.ofNanos((long) jittered);
    }

    /** A connection succeeded: the next failure starts from the first delay again. */
    void reset() {
        attempt = 0;
    }
}
