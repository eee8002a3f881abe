package dev.switchboard.core;

/**
 * The time source every timeout reads, injected so tests can move time instead of sleeping.
 * Implementations must be thread-safe.
 */
public interface Clock {
    /** The system clock. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }
    };

    /** Monotonic nanoseconds, for measuring durations only. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, for timestamps shown to users. */
    long currentTimeMillis();
}
