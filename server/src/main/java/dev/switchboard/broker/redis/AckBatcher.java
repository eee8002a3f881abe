package dev.switchboard.broker.redis;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * Gathers the counts this node reports to other nodes into one {@code A} frame per publishing
 * node, instead of one Redis {@code PUBLISH} per message. A report is queued; the first report
 * into an empty batch hands the batch to a flusher thread, and everything reported until that
 * thread takes it goes in the same frame — so under load a frame carries many reports, and when
 * idle a report waits for one thread hand-off only.
 *
 * <p>Thread-safe. Reports to one node keep their order.
 */
final class AckBatcher implements AutoCloseable {
    /** Bytes of one report: request id and count. */
    static final int REPORT_BYTES = 12;
    private static final int MAX_REPORTS_PER_FRAME = 4096;

    private final BiConsumer<String, byte[]> publish;
    private final ExecutorService flusher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "switchboard-cluster-acks");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentHashMap<String, Batch> batches = new ConcurrentHashMap<>();

    /** @param publish sends a frame to a node's channel: (node id, frame) */
    AckBatcher(BiConsumer<String, byte[]> publish) {
        this.publish = publish;
    }

    void report(String node, long requestId, int count) {
        Batch batch = batches.computeIfAbsent(node, Batch::new);
        if (batch.add(requestId, count)) {
            try {
                flusher.execute(batch::flush);
            } catch (RejectedExecutionException closed) {
                // shutting down: the publisher's deadline covers it
            }
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
    }

    private final class Batch {
        private final String node;
        private ByteBuffer reports = newFrame();

        Batch(String node) {
            this.node = node;
        }

        /** @return whether the batch was empty, so a flush must be scheduled */
        synchronized boolean add(long requestId, int count) {
            boolean first = reports.position() == 1;
            if (reports.remaining() < REPORT_BYTES) {
                ByteBuffer bigger = ByteBuffer.allocate(reports.capacity() * 2);
                reports.flip();
                bigger.put(reports);
                reports = bigger;
            }
            reports.putLong(requestId).putInt(count);
            return first;
        }

        void flush() {
            ByteBuffer full;
            synchronized (this) {
                full = reports;
                reports = newFrame();
            }
            byte[] frame = new byte[full.position()];
            full.flip();
            full.get(frame);
            for (int offset = 1; offset < frame.length; offset += MAX_REPORTS_PER_FRAME * REPORT_BYTES) {
                int end = Math.min(frame.length, offset + MAX_REPORTS_PER_FRAME * REPORT_BYTES);
                byte[] part = new byte[1 + end - offset];
                part[0] = ClusterWire.ACK;
                System.arraycopy(frame, offset, part, 1, end - offset);
                publish.accept(node, part);
            }
        }

        private ByteBuffer newFrame() {
            ByteBuffer frame = ByteBuffer.allocate(1 + 64 * REPORT_BYTES);
            frame.put(ClusterWire.ACK);
            return frame;
        }
    }
}
