package dev.switchboard.node;

import dev.switchboard.core.Clock;
import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a recurring failure (a broker that cannot take sends) at most once per interval, with the
 * number of occurrences since the last line, so that a flood of failed sends cannot flood the log.
 * The first occurrence in each interval is logged with its cause's text; the stack trace goes to
 * DEBUG. Thread-safe.
 */
final class FailureLog {
    private final Logger log;
    private final String what;
    private final Clock clock;
    private final long intervalNanos;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong nextNanos;

    /** The log of sends the broker refused, shared by both protocols: a line every 10 s at most. */
    static FailureLog forPublishing(Logger log, Clock clock) {
        return new FailureLog(log, "sends could not be published", clock,
                java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
    }

    FailureLog(Logger log, String what, Clock clock, long intervalNanos) {
        this.log = log;
        this.what = what;
        this.clock = clock;
        this.intervalNanos = intervalNanos;
        this.nextNanos = new AtomicLong(clock.nanoTime());
    }

    void failed(Throwable error) {
        long now = clock.nanoTime();
        long next = nextNanos.get();
        if (now - next < 0 || !nextNanos.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long others = suppressed.getAndSet(0);
        Throwable cause = error.getCause() != null && error instanceof java.util.concurrent.CompletionException
                ? error.getCause() : error;
        log.warn("{}: {}{}", what, cause.toString(), others > 0 ? " (and " + others + " more since the last report)" : "");
        log.debug("{}", what, error);
    }
}
