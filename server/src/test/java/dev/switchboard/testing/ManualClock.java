package dev.switchboard.testing;

import dev.switchboard.core.Clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that moves only when a test says so. Starts at an arbitrary, large instant so
 * code that assumes time starts at zero is caught. Thread-safe.
 */
public final class ManualClock implements Clock {
    private static final long START_NANOS = 1_000_000_000_000L;
    private static final long START_MILLIS = 1_700_000_000_000L;

    private final AtomicLong elapsedNanos = new AtomicLong();

    @Override
    public long nanoTime() {
        return START_NANOS + elapsedNanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return START_MILLIS + elapsedNanos.get() / 1_000_000;
    }

    /** Moves time forward; a negative amount is a test bug. */
    public void advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + amount);
        }
        elapsedNanos.addAndGet(amount.toNanos());
    }

    /** Time elapsed since this clock was created. */
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos.get());
    }
}
