package dev.switchboard.bench.client;

import io.netty.util.concurrent.Future;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Opens many connections with a bounded number of handshakes in flight (a burst of thousands of SYNs
 * overflows the server's accept backlog and measures retransmit timers instead of the server),
 * printing progress once a second. Stops early when the deadline passes or failures pile up.
 */
public final class ConnectionOpener {

    /** What came out of one bulk open. */
    public record Opened(List<ClientSession> sessions, int requested, int failed, Throwable firstFailure, double seconds) {

        public double perSecond() {
            return seconds <= 0 ? 0 : sessions.size() / seconds;
        }

        public boolean complete() {
            return sessions.size() == requested;
        }
    }

    private final WsConnector connector;
    private final int concurrency;
    private final Duration deadline;
    private final PrintStream progress;

    public ConnectionOpener(WsConnector connector, int concurrency, Duration deadline, PrintStream progress) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1");
        }
        this.connector = connector;
        this.concurrency = concurrency;
        this.deadline = deadline;
        this.progress = progress;
    }

    /**
     * Opens {@code count} sessions; session {@code i} registers as {@code userIdOf.apply(i)} (null:
     * send-only) and reports to {@code listenerOf.apply(i)}.
     */
    public Opened open(String label, int count, IntFunction<String> userIdOf, IntFunction<FrameListener> listenerOf)
            throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        ConcurrentLinkedQueue<ClientSession> opened = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        int maxFailures = 10 + count / 100;
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        long nextReport = start + TimeUnit.SECONDS.toNanos(1);

        for (int i = 0; i < count && failed.get() <= maxFailures; ) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (now >= nextReport) {
                report(label, opened.size(), count, failed.get(), now - start);
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
            if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                continue;
            }
            Future<ClientSession> f = connector.connect(userIdOf.apply(i), listenerOf.apply(i));
            f.addListener(done -> {
                if (done.isSuccess()) {
                    opened.add(f.getNow());
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, done.cause());
                }
                permits.release();
            });
            i++;
        }
        // Let the handshakes still in flight finish (each has its own timeout) before counting.
        long wait = Math.max(end - System.nanoTime(), 0) + connector.target().handshakeTimeout().toNanos();
        permits.tryAcquire(concurrency, wait, TimeUnit.NANOSECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        report(label, opened.size(), count, failed.get(), System.nanoTime() - start);
        if (firstFailure.get() != null) {
            progress.printf("%s: %d connection(s) failed, first: %s%n", label, failed.get(), firstFailure.get());
        }
        return new Opened(new ArrayList<>(opened), count, failed.get(), firstFailure.get(), seconds);
    }

    private void report(String label, int done, int count, int failed, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        progress.printf("%s: %,d/%,d connected (%,.0f/s)%s%n", label, done, count,
                seconds > 0 ? done / seconds : 0, failed > 0 ? ", " + failed + " failed" : "");
    }
}
