package dev.switchboard.broker.redis;

import dev.switchboard.core.Clock;
import dev.switchboard.core.ClusterCount;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counts a node is waiting for: after it publishes a request (a message or a disconnect) to the
 * nodes holding a user, each of them reports how many connections it reached, and the request is
 * complete when as many reports arrived as Redis said there were subscribers. A request whose
 * reports did not all arrive by the deadline completes {@code partial} with what did arrive.
 *
 * <p>Reports can arrive before the publisher learns the number of subscribers (the script's reply
 * and the reports travel on different connections); both orders work.
 *
 * <p>Bounded: at most {@link #MAX_PENDING} requests wait at once (each for at most the ack timeout);
 * past that {@link #open} refuses, and the send is answered {@code unavailable} without being sent.
 * Thread-safe.
 */
final class PendingCounts {
    /** Requests waiting at once, at most: far above what a node's clients can have in flight. */
    static final int MAX_PENDING = 100_000;

    private final Clock clock;
    private final long timeoutNanos;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();

    PendingCounts(Clock clock, long timeoutNanos) {
        this.clock = clock;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Opens a request; its count completes through {@link #expect}, {@link #report} and {@link #expire}.
     *
     * @return its id, or {@code -1} if {@link #MAX_PENDING} requests are waiting already
     */
    long open(CompletableFuture<ClusterCount> result) {
        if (pending.size() >= MAX_PENDING) {
            return -1;
        }
        long id = ids.incrementAndGet();
        pending.put(id, new Pending(result, clock.nanoTime() + timeoutNanos));
        return id;
    }

    /** Redis delivered request {@code id} to {@code subscribers} nodes. */
    void expect(long id, int subscribers) {
        Pending p = pending.get(id);
        if (p != null && p.expect(subscribers)) {
            pending.remove(id, p);
        }
    }

    /** A node reached {@code count} connections for request {@code id}. Reports for unknown ids are ignored. */
    void report(long id, int count) {
        Pending p = pending.get(id);
        if (p != null && p.report(count)) {
            pending.remove(id, p);
        }
    }

    /** Gives up on request {@code id} (it was never published): completes it exceptionally. */
    void fail(long id, Throwable error) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.result.completeExceptionally(error);
        }
    }

    /** Completes, as partial, every request past its deadline. Call it periodically. */
    int expire() {
        long now = clock.nanoTime();
        int expired = 0;
        for (var entry : pending.entrySet()) {
            Pending p = entry.getValue();
            if (now - p.deadline >= 0) {
                if (p.timeOut()) {
                    expired++;
                }
                pending.remove(entry.getKey(), p);
            }
        }
        return expired;
    }

    /** Requests still waiting (for tests and metrics). */
    int size() {
        return pending.size();
    }

    /**
     * One request's reports. Its monitor guards the counts only: the result is completed after the
     * monitor is let go, because completing it runs the publisher's answer (never under a lock).
     */
    private static final class Pending {
        private final CompletableFuture<ClusterCount> result;
        private final long deadline;
        private int expected = -1;
        private int reports;
        private int sum;

        Pending(CompletableFuture<ClusterCount> result, long deadline) {
            this.result = result;
            this.deadline = deadline;
        }

        boolean expect(int subscribers) {
            ClusterCount done;
            synchronized (this) {
                expected = subscribers;
                done = doneCount();
            }
            return done != null && result.complete(done);
        }

        boolean report(int count) {
            ClusterCount done;
            synchronized (this) {
                reports++;
                sum += count;
                done = doneCount();
            }
            return done != null && result.complete(done);
        }

        boolean timeOut() {
            int counted;
            synchronized (this) {
                counted = sum;
            }
            return result.complete(new ClusterCount(counted, true));
        }

        /** The final count once every expected report is in, else {@code null}. Under the monitor. */
        private ClusterCount doneCount() {
            return expected >= 0 && reports >= expected ? new ClusterCount(sum, false) : null;
        }
    }
}
