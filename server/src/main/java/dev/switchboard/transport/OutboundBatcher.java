package dev.switchboard.transport;

import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Groups the writes bound for one event loop's connections into one task, with one flush per
 * connection per task.
 *
 * <p>Why: a publication fans out from the sender's event loop to connections on every loop.
 * Writing to a channel of another loop directly costs one task and one flush (a syscall) per
 * frame; here any number of frames queued while the loop is busy costs one task, and a connection
 * that receives many frames in that time is flushed once.
 *
 * <p>Threading: {@link #write} is called from any thread; draining runs on the loop. Ordering:
 * frames queued by one thread are written in queue order (the queue is FIFO), so a sender's
 * messages to a user keep their order. Frames for a session that is no longer open are released.
 */
final class OutboundBatcher implements Runnable {
    /** Writes per task before yielding the loop to I/O; the rest goes to the next task. */
    private static final int MAX_WRITES_PER_RUN = 8192;

    private final EventLoop loop;
    private final Queue<PendingWrite> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ArrayList<NettySession> toFlush = new ArrayList<>();

    OutboundBatcher(EventLoop loop) {
        this.loop = loop;
    }

    /** Queues {@code frame} (ownership passes here) for {@code session}, which must be on this loop. */
    void write(NettySession session, Object frame) {
        queue.add(new PendingWrite(session, frame));
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        int written = 0;
        PendingWrite pending;
        while (written < MAX_WRITES_PER_RUN && (pending = queue.poll()) != null) {
            NettySession session = pending.session;
            if (!session.writeFromLoop(pending.frame)) {
                ReferenceCountUtil.release(pending.frame);
                continue;
            }
            written++;
            if (!session.flushPending) {
                session.flushPending = true;
                toFlush.add(session);
            }
        }
        for (int i = 0; i < toFlush.size(); i++) {
            NettySession session = toFlush.get(i);
            session.flushPending = false;
            session.flushFromLoop();
        }
        toFlush.clear();
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    private record PendingWrite(NettySession session, Object frame) {
    }

    /** One batcher per event loop, created on first use. Thread-safe. */
    static final class PerLoop {
        private final java.util.concurrent.ConcurrentHashMap<EventLoop, OutboundBatcher> byLoop =
                new java.util.concurrent.ConcurrentHashMap<>();

        OutboundBatcher forLoop(EventLoop loop) {
            return byLoop.computeIfAbsent(loop, OutboundBatcher::new);
        }
    }
}
