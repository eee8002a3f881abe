package dev.switchboard.history;

import dev.switchboard.core.Publication;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;

import java.util.ArrayList;
import java.util.List;

/**
 * One user's stream: a sequence number, an epoch, and the addresses of its kept publications in the
 * shared {@link HistoryLog} (at most {@code capacity}, none older than the TTL, none whose segment
 * the log dropped). On the heap a stream costs a few fields and one {@code long} per kept entry;
 * the entries themselves are in the log. Kept entries are contiguous in seq: entry {@code i} is
 * seq {@code firstSeq + i}.
 *
 * <p>Not thread-safe: the owner serialises access (the memory broker holds the stream's monitor
 * while it appends and delivers, so delivery order is seq order).
 */
final class UserStream {
    private static final int INITIAL_INDEX = 4;

    private final String userId;
    private final String epoch;
    private final int capacity;
    private final long maxBytes;
    private final long ttlMillis;
    private final HistoryLog log;
    private final Evictions evictions;
    private long seq;
    private long lastActiveMillis;
    private boolean removed;
    /** Whether the stream was used since the stream cap's clock hand last passed it. */
    boolean referenced = true;
    /** A ring of log addresses: {@code index[(head + i) % index.length]} is seq {@code firstSeq + i}. */
    private long[] index;
    /** The message bytes of each kept entry, beside {@link #index}. */
    private int[] lengths;
    private long keptBytes;
    private int head;
    private int size;
    private long firstSeq = 1;

    /** Where a stream reports the entries it lets go, and why. */
    interface Evictions {
        void evicted(HistoryLog.Cause cause, int entries);
    }

    UserStream(String userId, String epoch, int capacity, long maxBytes, long ttlMillis, long nowMillis,
               HistoryLog log, Evictions evictions) {
        this.userId = userId;
        this.epoch = epoch;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.ttlMillis = ttlMillis;
        this.lastActiveMillis = nowMillis;
        this.log = log;
        this.evictions = evictions;
    }

    /** Places {@code publication} at the next seq, keeps it in history, and returns it placed. */
    Publication append(Publication publication, long nowMillis) {
        Publication placed = publication.at(++seq, epoch, nowMillis);
        lastActiveMillis = nowMillis;
        referenced = true;
        if (capacity == 0) {
            return placed;
        }
        long address = log.append(placed);
        if (address < 0) {
            // Too large to keep: recovery across it must fail, so nothing before it stays recoverable.
            release(HistoryLog.Cause.SIZE);
            firstSeq = seq + 1;
            return placed;
        }
        if (size == 0) {
            firstSeq = seq;
        }
        push(address, placed.message().text().length);
        int beyond = 0;
        while (size > 1 && (size > capacity || keptBytes > maxBytes)) {
            log.release(at(0));
            dropOldest(1);
            beyond++;
        }
        if (beyond > 0) {
            evictions.evicted(HistoryLog.Cause.SIZE, beyond);
        }
        return placed;
    }

    StreamPosition position() {
        return new StreamPosition(seq, epoch);
    }

    /**
     * What a client at {@code since} of {@code clientEpoch} missed. A client of another epoch cannot
     * have seen any publication of this one: it is not recovered, and gets what this epoch's
     * history holds, from its start.
     */
    Recovery recover(long since, String clientEpoch, long nowMillis) {
        referenced = true;
        expire(nowMillis);
        StreamPosition position = position();
        if (!epoch.equals(clientEpoch)) {
            return new Recovery(false, readFrom(firstSeq, false), position);
        }
        if (since < 0 || since > seq) {
            return new Recovery(false, List.of(), position);
        }
        if (since == seq) {
            return new Recovery(true, List.of(), position);
        }
        if (size == 0 || firstSeq > since + 1) {
            return new Recovery(false, List.of(), position);
        }
        List<Publication> missed = readFrom(since + 1, true);
        return missed == null ? new Recovery(false, List.of(), position) : new Recovery(true, missed, position);
    }

    /**
     * The kept publications from {@code fromSeq} on, in order.
     *
     * @param whole whether every one must still be there: {@code null} if the log dropped one
     *     meanwhile; otherwise what is left after such a drop (the log drops oldest first)
     */
    private List<Publication> readFrom(long fromSeq, boolean whole) {
        List<Publication> out = new ArrayList<>((int) Math.max(0, firstSeq + size - fromSeq));
        for (long s = fromSeq; s < firstSeq + size; s++) {
            Publication p = log.read(at((int) (s - firstSeq)), userId, s, epoch);
            if (p == null) {
                if (whole) {
                    return null;
                }
                out.clear();
                continue;
            }
            out.add(p);
        }
        return out;
    }

    /**
     * Lets go of entries the log dropped (it counted them), and of entries older than the TTL
     * (counted here).
     */
    void expire(long nowMillis) {
        while (size > 0 && !log.live(at(0))) {
            dropOldest(1);
        }
        long cutoff = nowMillis - ttlMillis;
        int old = 0;
        while (size > 0) {
            long time = log.timestamp(at(0));
            if (time > cutoff) {
                break;
            }
            if (time >= 0) {
                log.release(at(0));
                old++;
            }
            dropOldest(1);
        }
        if (old > 0) {
            evictions.evicted(HistoryLog.Cause.TTL, old);
        }
    }

    /** Restarts the idle time, as an append does: the user's last connection just left. */
    void touch(long nowMillis) {
        lastActiveMillis = Math.max(lastActiveMillis, nowMillis);
    }

    /**
     * Whether nothing was appended, and nobody left, for the TTL: the stream may go once nobody is
     * connected.
     */
    boolean idle(long nowMillis) {
        return nowMillis - lastActiveMillis >= ttlMillis;
    }

    int size() {
        return size;
    }

    /** Lets go of every entry, counting those still in the log as lost to {@code cause}. */
    void release(HistoryLog.Cause cause) {
        int lost = 0;
        for (int i = 0; i < size; i++) {
            if (log.live(at(i))) {
                log.release(at(i));
                lost++;
            }
        }
        if (lost > 0) {
            evictions.evicted(cause, lost);
        }
        clear(seq + 1);
    }

    String userId() {
        return userId;
    }

    void markRemoved() {
        removed = true;
    }

    boolean removed() {
        return removed;
    }

    private long at(int i) {
        return index[(head + i) % index.length];
    }

    private void push(long address, int length) {
        if (index == null) {
            index = new long[Math.min(INITIAL_INDEX, capacity + 1)];
            lengths = new int[index.length];
        } else if (size == index.length) {
            int grownLength = (int) Math.min((long) index.length * 2, capacity + 1L);
            long[] grown = new long[grownLength];
            int[] grownLengths = new int[grownLength];
            for (int i = 0; i < size; i++) {
                grown[i] = at(i);
                grownLengths[i] = lengths[(head + i) % lengths.length];
            }
            index = grown;
            lengths = grownLengths;
            head = 0;
        }
        int slot = (head + size) % index.length;
        index[slot] = address;
        lengths[slot] = length;
        keptBytes += length;
        size++;
    }

    /** Lets go of the oldest entry. */
    private void dropOldest(int count) {
        for (int i = 0; i < count; i++) {
            keptBytes -= lengths[head];
            head = (head + 1) % index.length;
        }
        size -= count;
        firstSeq += count;
        if (size == 0) {
            head = 0;
            keptBytes = 0;
        }
    }

    private void clear(long nextSeq) {
        index = null;
        lengths = null;
        head = 0;
        size = 0;
        keptBytes = 0;
        firstSeq = nextSeq;
    }
}
