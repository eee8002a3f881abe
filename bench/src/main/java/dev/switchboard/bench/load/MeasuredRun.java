package dev.switchboard.bench.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Drives the clock of a load run while the connections do the work: a warmup whose figures are
 * thrown away, then the measured window. Prints one line per second, and returns the window's
 * counts and latency histograms. The caller's thread sleeps here; nothing runs on the event loops.
 */
public final class MeasuredRun {

    /** Told when the measured window begins and ends (CPU meters, probes). */
    public interface PhaseListener {
        default void measureStarted() {
        }

        default void measureEnded() {
        }
    }

    /** The measured window. Histograms are in microseconds. */
    public record Window(double seconds, LoadStats.Counts counts, Histogram delivery, Histogram ack) {

        public double perSecond(long count) {
            return seconds <= 0 ? 0 : count / seconds;
        }
    }

    /** What the three counters of a {@link LoadStats} mean in this run, for the per-second line. */
    public record Labels(String sent, String delivered, String acked) {
        public static final Labels MESSAGES = new Labels("sent", "delivered", "acked");
    }

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private MeasuredRun() {
    }

    public static Window run(LoadStats stats, Duration warmup, Duration duration, PrintStream out,
                             List<? extends PhaseListener> listeners) throws InterruptedException {
        return run(stats, Labels.MESSAGES, warmup, duration, out, listeners);
    }

    public static Window run(LoadStats stats, Labels labels, Duration warmup, Duration duration, PrintStream out,
                             List<? extends PhaseListener> listeners) throws InterruptedException {
        long start = System.nanoTime();
        long measureStart = start + warmup.toNanos();
        long end = measureStart + duration.toNanos();
        long tick = start + SECOND;
        long previousAt = start;
        LoadStats.Counts previous = stats.snapshot();
        LoadStats.Counts atMeasureStart = null;
        long measureStartedAt = 0;
        Histogram interval = null;
        Histogram ackInterval = null;
        Histogram total = new Histogram(3);
        Histogram ackTotal = new Histogram(3);

        while (true) {
            long boundary = atMeasureStart == null ? measureStart : end;
            long next = Math.min(tick, boundary);
            sleepUntil(next);
            long now = System.nanoTime();
            LoadStats.Counts counts = stats.snapshot();
            interval = stats.deliveryInterval(interval);
            ackInterval = stats.ackInterval(ackInterval);
            boolean measuring = atMeasureStart != null;
            if (now - previousAt >= TimeUnit.MILLISECONDS.toNanos(100)) {
                printLine(out, labels, measuring ? "measure" : "warmup", measuring ? now - measureStartedAt : now - start,
                        counts.minus(previous), now - previousAt, interval);
            }
            if (measuring) {
                total.add(interval);
                ackTotal.add(ackInterval);
            }
            previous = counts;
            previousAt = now;
            if (next == boundary && !measuring) {
                atMeasureStart = counts;
                measureStartedAt = now;
                listeners.forEach(PhaseListener::measureStarted);
            } else if (next == boundary) {
                listeners.forEach(PhaseListener::measureEnded);
                return new Window((now - measureStartedAt) / 1e9, counts.minus(atMeasureStart), total, ackTotal);
            }
            if (next == tick) {
                tick += SECOND;
            }
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static void printLine(PrintStream out, Labels labels, String phase, long elapsed, LoadStats.Counts delta, long nanos,
                                  Histogram latency) {
        double seconds = nanos / 1e9;
        LatencySummary l = LatencySummary.of(latency);
        out.printf("%-7s %4.0fs  %s %,9.0f/s  %s %,9.0f/s  %s %,9.0f/s  latency p50 %s p99 %s%s%n",
                phase, Math.ceil(elapsed / 1e9 - 0.05), labels.sent(), delta.sent() / seconds,
                labels.delivered(), delta.delivered() / seconds, labels.acked(), delta.acked() / seconds, LatencySummary.fmt(l.p50()), LatencySummary.fmt(l.p99()),
                delta.errors() > 0 ? String.format("  errors %,d", delta.errors()) : "");
    }
}
