package dev.switchboard.testing;

import dev.switchboard.core.Scheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Scheduler} that records fixed-rate tasks and runs them only when the test says so, on
 * the test's thread: {@link #runAll()} runs every live task once. Pair it with a
 * {@link ManualClock}: move the clock, then run the tasks. Thread-safe.
 */
public final class ManualScheduler implements Scheduler {
    private final List<Task> tasks = new CopyOnWriteArrayList<>();

    @Override
    public Cancellable scheduleAtFixedRate(Runnable task, Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        Task scheduled = new Task(task, period);
        tasks.add(scheduled);
        return scheduled;
    }

    /** Runs every task that has not been cancelled, once, in scheduling order. */
    public void runAll() {
        for (Task task : tasks) {
            if (!task.cancelled) {
                task.runnable.run();
            }
        }
    }

    /** Tasks scheduled and not cancelled. */
    public List<Task> liveTasks() {
        return tasks.stream().filter(task -> !task.cancelled).toList();
    }

    /** Every task ever scheduled, cancelled ones included. */
    public List<Task> allTasks() {
        return List.copyOf(tasks);
    }

    /** One scheduled task. */
    public static final class Task implements Cancellable {
        private final Runnable runnable;
        private final Duration period;
        private volatile boolean cancelled;

        Task(Runnable runnable, Duration period) {
            this.runnable = runnable;
            this.period = period;
        }

        public Duration period() {
            return period;
        }

        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
