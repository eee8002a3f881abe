package dev.switchboard.app;

import dev.switchboard.metrics.Metrics;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Scheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The dashboard's live numbers: messages routed per second over the last {@link #SAMPLES} ticks,
 * and the most recent connects and disconnects. A {@link Metrics} binding, so it sees exactly what
 * the meters see.
 *
 * <p>Threading: the hot-path calls ({@link #messageRouted}) only add to a {@link LongAdder}; a
 * {@link Scheduler} task moves the count into a ring of samples once per {@link #TICK}. Connection
 * events and {@link #snapshot()} take a lock on small structures, off the routing path. Memory is
 * bounded: {@link #SAMPLES} longs and {@link #MAX_EVENTS} events.
 */
public final class LiveStats implements Metrics, AutoCloseable {
    /** One sample per tick. */
    public static final Duration TICK = Duration.ofSeconds(1);
    /** Five minutes of samples. */
    public static final int SAMPLES = 300;
    /** Connects and disconnects kept, newest first. */
    public static final int MAX_EVENTS = 50;

    private final Clock clock;
    private final LongAdder routedThisTick = new LongAdder();
    private final LongAdder routedTotal = new LongAdder();
    private final long[] samples = new long[SAMPLES];
    private final Deque<Event> events = new ArrayDeque<>();
    private final Scheduler.Cancellable ticker;
    private int next;
    private int filled;

    /** A connection event. {@code closeCode} is 0 for a connect; {@code userId} is null for send-only. */
    public record Event(long timeMillis, boolean connect, String connectionId, String userId, int closeCode) {
    }

    /**
     * @param messagesPerSecond oldest first, at most {@link #SAMPLES}; the tick in progress is not included
     * @param events newest first
     */
    public record Snapshot(long messagesTotal, List<Long> messagesPerSecond, List<Event> events) {
    }

    public LiveStats(Clock clock, Scheduler scheduler) {
        this.clock = clock;
        this.ticker = scheduler.scheduleAtFixedRate(this::tick, TICK);
    }

    @Override
    public void messageRouted(int delivered, long routeNanos) {
        routedThisTick.increment();
        routedTotal.increment();
    }

    @Override
    public void connectionOpened(String connectionId, String userId) {
        record(new Event(clock.currentTimeMillis(), true, connectionId, userId, 0));
    }

    @Override
    public void connectionClosed(String connectionId, String userId, int closeCode) {
        record(new Event(clock.currentTimeMillis(), false, connectionId, userId, closeCode));
    }

    private synchronized void record(Event event) {
        events.addFirst(event);
        if (events.size() > MAX_EVENTS) {
            events.removeLast();
        }
    }

    /** Closes the current second's sample. Runs on the scheduler. */
    void tick() {
        long count = routedThisTick.sumThenReset();
        synchronized (this) {
            samples[next] = count;
            next = (next + 1) % SAMPLES;
            filled = Math.min(filled + 1, SAMPLES);
        }
    }

    public synchronized Snapshot snapshot() {
        List<Long> rate = new ArrayList<>(filled);
        for (int i = filled; i > 0; i--) {
            rate.add(samples[Math.floorMod(next - i, SAMPLES)]);
        }
        return new Snapshot(routedTotal.sum(), List.copyOf(rate), List.copyOf(events));
    }

    @Override
    public void close() {
        ticker.cancel();
    }
}
