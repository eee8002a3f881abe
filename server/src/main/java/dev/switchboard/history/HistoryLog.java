package dev.switchboard.history;

import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Every user's kept publications in one log of fixed-size segments off the Java heap, in the order
 * they were kept — which is age order, across all users. The log never holds more than its budget:
 * when a record does not fit, the oldest segment goes, whichever users' records it holds, so the
 * oldest history goes first. A young collection never copies a kept message, since none is on the
 * heap. A record is addressed by {@code (segment id << 32) | offset}; segment ids only grow, so an
 * address into a dropped segment is recognised as such ({@link #live}) and never read.
 *
 * <p>Threading: every method takes this log's monitor, briefly (an append copies one record in; a
 * read copies one record out), and calls nothing while holding it. Callers that hold a stream's
 * monitor call in (stream → log is the lock order); nothing here calls back into a stream.
 */
public final class HistoryLog {
    /** The smallest segment; a budget smaller than two of these is raised to two. */
    static final int MIN_SEGMENT_BYTES = 64 * 1024;
    /** The largest segment: a budget holds at least {@code budget / MAX_SEGMENT_BYTES} of them. */
    static final int MAX_SEGMENT_BYTES = 4 * 1024 * 1024;
    private static final int HEADER = 4 + 8 + 1;
    private static final int STRING = 1;
    private static final int FROM = 2;
    private static final int RECEIPT = 4;

    private final int segmentBytes;
    private final int maxSegments;
    /** Live segments by id: segment {@code id} is at {@code ring[id % ring.length]}, for ids from {@link #firstLiveId} to {@code nextId - 1}. */
    private final Segment[] ring;
    /** Buffers of dropped segments, kept for reuse so the log does not churn direct memory. */
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private long nextId;
    private long firstLiveId;
    /** Records still indexed by their stream, over the live segments. */
    private long liveRecords;
    private final EvictionListener evictions;

    /**
     * Told when a segment goes: how many of its records were still indexed (the entries lost), why,
     * and its newest record's time. Called under the log's monitor: it only counts.
     */
    interface EvictionListener {
        void dropped(int records, Cause cause, long newestMillis);
    }

    /** Why kept history went. */
    public enum Cause {
        /** The global budget was full. */
        BUDGET,
        /** Older than the history TTL. */
        TTL,
        /** Beyond a user's history size. */
        SIZE
    }

    /**
     * @param budgetBytes the most the log holds (its segments' total size)
     * @param maxRecordBytes the largest record it must be able to keep (a message at the size limit)
     */
    HistoryLog(long budgetBytes, int maxRecordBytes, EvictionListener evictions) {
        int wanted = (int) Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, budgetBytes / 32));
        this.segmentBytes = Math.max(wanted, maxRecordBytes + 1024);
        this.maxSegments = (int) Math.max(2, budgetBytes / segmentBytes);
        this.ring = new Segment[maxSegments + 1];
        this.evictions = evictions;
    }

    /** The bytes the log may hold. */
    long budget() {
        return (long) maxSegments * segmentBytes;
    }

    /** The bytes it holds now: its live segments. */
    synchronized long bytes() {
        return (nextId - firstLiveId) * segmentBytes;
    }

    private int liveSegments() {
        return (int) (nextId - firstLiveId);
    }

    private Segment segment(long id) {
        return ring[(int) (id % ring.length)];
    }

    /** Records still indexed by their stream: the entries kept. */
    synchronized long records() {
        return liveRecords;
    }

    /** The record at {@code address} is no longer indexed by its stream (beyond its size, older than the TTL). */
    synchronized void release(long address) {
        long id = address >>> 32;
        if (id >= firstLiveId && id < nextId) {
            segment(id).live--;
            liveRecords--;
        }
    }

    /**
     * Keeps a placed publication's record.
     *
     * @return its address, or {@code -1} if it is larger than a segment (it is not kept)
     */
    synchronized long append(Publication p) {
        byte[] from = p.from() == null ? null : p.from().getBytes(StandardCharsets.UTF_8);
        byte[] connection = p.receipt() == null ? null : p.receipt().connectionId().getBytes(StandardCharsets.UTF_8);
        byte[] request = p.receipt() == null || p.receipt().requestId() == null ? null
                : p.receipt().requestId().getBytes(StandardCharsets.UTF_8);
        byte[] message = p.message().isString() ? p.message().text() : p.message().json();
        int length = HEADER + (from == null ? 0 : 2 + from.length)
                + (connection == null ? 0 : 2 + connection.length + 2 + (request == null ? 0 : request.length))
                + 4 + message.length;
        if (length > segmentBytes) {
            return -1;
        }
        Segment segment = liveSegments() == 0 ? null : segment(nextId - 1);
        if (segment == null || segment.buffer.remaining() < length) {
            segment = newSegment();
        }
        ByteBuffer out = segment.buffer;
        int offset = out.position();
        int flags = (p.message().isString() ? STRING : 0) | (from != null ? FROM : 0) | (connection != null ? RECEIPT : 0);
        out.putInt(length).putLong(p.timestampMillis()).put((byte) flags);
        if (from != null) {
            out.putShort((short) from.length).put(from);
        }
        if (connection != null) {
            out.putShort((short) connection.length).put(connection);
            out.putShort((short) (request == null ? -1 : request.length));
            if (request != null) {
                out.put(request);
            }
        }
        out.putInt(message.length).put(message);
        segment.live++;
        segment.newestMillis = Math.max(segment.newestMillis, p.timestampMillis());
        liveRecords++;
        return (segment.id << 32) | offset;
    }

    private Segment newSegment() {
        if (liveSegments() >= maxSegments) {
            drop(Cause.BUDGET);
        }
        ByteBuffer buffer = free.pollFirst();
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(segmentBytes);
        }
        buffer.clear();
        Segment segment = new Segment(nextId, buffer);
        ring[(int) (nextId % ring.length)] = segment;
        nextId++;
        return segment;
    }

    private void drop(Cause cause) {
        Segment oldest = segment(firstLiveId);
        ring[(int) (firstLiveId % ring.length)] = null;
        firstLiveId++;
        liveRecords -= oldest.live;
        free.addLast(oldest.buffer);
        evictions.dropped(oldest.live, cause, oldest.newestMillis);
    }

    /** Drops the segments whose newest record is older than {@code cutoffMillis}, oldest first. */
    synchronized int expire(long cutoffMillis) {
        int dropped = 0;
        while (liveSegments() > 0 && segment(firstLiveId).newestMillis < cutoffMillis) {
            drop(Cause.TTL);
            dropped++;
        }
        return dropped;
    }

    /** Whether the record at {@code address} is still in the log. */
    synchronized boolean live(long address) {
        return (address >>> 32) >= firstLiveId;
    }

    /** The time of the record at {@code address}, or {@code -1} if its segment is gone. */
    synchronized long timestamp(long address) {
        ByteBuffer in = record(address);
        return in == null ? -1 : in.getLong(in.position() + 4);
    }

    /**
     * Reads the record at {@code address} back as a publication placed at {@code seq} of
     * {@code epoch}.
     *
     * @return the publication, or {@code null} if its segment is gone
     */
    synchronized Publication read(long address, String userId, long seq, String epoch) {
        ByteBuffer in = record(address);
        if (in == null) {
            return null;
        }
        in.getInt();
        long timestamp = in.getLong();
        int flags = in.get();
        String from = (flags & FROM) != 0 ? string(in, in.getShort()) : null;
        Publication.ReceiptRequest receipt = null;
        if ((flags & RECEIPT) != 0) {
            String connection = string(in, in.getShort());
            short requestLength = in.getShort();
            receipt = new Publication.ReceiptRequest(connection, requestLength < 0 ? null : string(in, requestLength));
        }
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        Message message = (flags & STRING) != 0 ? Message.ofString(bytes) : Message.ofJson(bytes);
        return new Publication(userId, message, from, seq, epoch, timestamp, receipt);
    }

    /** A view positioned at the record, or {@code null} if its segment is gone. Under the monitor. */
    private ByteBuffer record(long address) {
        long id = address >>> 32;
        if (id < firstLiveId || id >= nextId) {
            return null;
        }
        ByteBuffer view = segment(id).buffer.duplicate();
        view.clear().position((int) address);
        return view;
    }

    private static String string(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** One segment of the log: its id, its buffer (written up to its position) and what it holds. */
    private static final class Segment {
        final long id;
        final ByteBuffer buffer;
        /** Records in it that their stream still indexes. */
        int live;
        long newestMillis;

        Segment(long id, ByteBuffer buffer) {
            this.id = id;
            this.buffer = buffer;
        }
    }
}
