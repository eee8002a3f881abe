package dev.switchboard.core;

import java.time.Duration;

/**
 * Runs periodic tasks, injected so tests can drive timers by hand. Implementations must be
 * thread-safe; tasks must not block (they may run on an event loop).
 */
public interface Scheduler {
    /**
     * Runs {@code task} every {@code period}, first after one period, until the returned handle is
     * cancelled. A task that throws is logged and keeps its schedule.
     */
    Cancellable scheduleAtFixedRate(Runnable task, Duration period);

    /** A handle on a scheduled task. */
    interface Cancellable {
        void cancel();
    }
}
