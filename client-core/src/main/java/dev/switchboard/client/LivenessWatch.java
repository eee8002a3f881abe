package dev.switchboard.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Watches one connection for silence on the client's thread: pings a quiet server and declares the
 * connection dead when even a ping goes unanswered ({@link Liveness} decides; this schedules and
 * acts). It stops watching once the connection is no longer the current one.
 */
final class LivenessWatch {
    private LivenessWatch() {
    }

    /**
     * @param still whether {@code connection} is still the client's current one
     * @param notReading whether reading is paused (then silence proves nothing)
     * @param ping sends a ping on it
     * @param dead replaces it, with why
     * @return the scheduled check, to cancel with the connection; {@code null} when pings are off
     */
    static ScheduledFuture<?> start(ScheduledExecutorService thread, Duration pingInterval, Connection connection,
                                    BooleanSupplier still, BooleanSupplier notReading, Runnable ping,
                                    Consumer<String> dead) {
        long interval = pingInterval.toNanos();
        if (interval == 0) {
            return null;
        }
        Liveness liveness = new Liveness(interval);
        return thread.scheduleWithFixedDelay(() -> {
            if (!still.getAsBoolean()) {
                return;
            }
            if (notReading.getAsBoolean()) {
                liveness.suspend();
                return;
            }
            switch (liveness.check(System.nanoTime(), connection.lastHeardNanos())) {
                case PING:
                    ping.run();
                    break;
                case DEAD:
                    dead.accept("nothing heard from the server, not even an answer to a ping, for "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connection.lastHeardNanos()) + " ms");
                    break;
                default:
                    break;
            }
        }, liveness.checkPeriodNanos(), liveness.checkPeriodNanos(), TimeUnit.NANOSECONDS);
    }
}
