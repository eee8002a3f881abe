package dev.switchboard.bench.load;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and latency recorders shared by every connection of one run. Written from all event
 * loops at once (LongAdder, HdrHistogram's multi-writer Recorder); read once a second by the
 * {@link MeasuredRun}. Latencies are recorded in microseconds.
 */
public final class LoadStats {

    /** Totals since the run began; subtract two snapshots for a window. */
    public record Counts(long sent, long delivered, long acked, long ackedDeliveries, long errors, long skipped) {

        public Counts minus(Counts earlier) {
            return new Counts(sent - earlier.sent, delivered - earlier.delivered, acked - earlier.acked,
                    ackedDeliveries - earlier.ackedDeliveries, errors - earlier.errors, skipped - earlier.skipped);
        }
    }

    private final LongAdder sent = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder ackedDeliveries = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final Recorder deliveryLatency = new Recorder(3);
    private final Recorder ackLatency = new Recorder(3);
    private volatile String lastError;

    public void sent() {
        sent.increment();
    }

    /** An open-loop send that was due but not made because too many were in flight. */
    public void skipped() {
        skipped.increment();
    }

    public void delivered(long latencyNanos) {
        delivered.increment();
        deliveryLatency.recordValue(Math.max(0, latencyNanos / 1000));
    }

    /** An ack saying the server queued the message to {@code deliveries} connections. */
    public void acked(int deliveries, long latencyNanos) {
        acked.increment();
        ackedDeliveries.add(deliveries);
        if (latencyNanos >= 0) {
            ackLatency.recordValue(latencyNanos / 1000);
        }
    }

    /** A connection closed; counted until the run's results are taken (teardown closes do not count). */
    public void connectionLost() {
        lost.increment();
    }

    public long lostConnections() {
        return lost.sum();
    }

    public void error(String text) {
        errors.increment();
        lastError = text;
    }

    public String lastError() {
        return lastError;
    }

    public Counts snapshot() {
        return new Counts(sent.sum(), delivered.sum(), acked.sum(), ackedDeliveries.sum(), errors.sum(), skipped.sum());
    }

    /** Delivery latencies recorded since the previous call (into {@code recycle} when not null). */
    public Histogram deliveryInterval(Histogram recycle) {
        return deliveryLatency.getIntervalHistogram(recycle);
    }

    public Histogram ackInterval(Histogram recycle) {
        return ackLatency.getIntervalHistogram(recycle);
    }
}
