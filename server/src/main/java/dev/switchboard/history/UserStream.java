package dev.switchboard.history;

import dev.switchboard.core.Publication;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One user's stream: a sequence number, an epoch, and the last publications (at most
 * {@code capacity}, none older than the TTL). Pure logic; not thread-safe — the owner serialises
 * access (the memory broker holds the stream's lock while it appends and delivers, so delivery
 * order is seq order).
 */
final class UserStream {
    private final String epoch;
    private final int capacity;
    private final long ttlMillis;
    private final ArrayDeque<Publication> entries = new ArrayDeque<>();
    private long seq;
    private long lastActiveMillis;
    private boolean removed;

    UserStream(String epoch, int capacity, long ttlMillis, long nowMillis) {
        this.epoch = epoch;
        this.capacity = capacity;
        this.ttlMillis = ttlMillis;
        this.lastActiveMillis = nowMillis;
    }

    /** Places {@code publication} at the next seq, keeps it in history, and returns it placed. */
    Publication append(Publication publication, long nowMillis) {
        Publication placed = publication.at(++seq, epoch, nowMillis);
        if (capacity > 0) {
            entries.addLast(placed);
            if (entries.size() > capacity) {
                entries.removeFirst();
            }
        }
        lastActiveMillis = nowMillis;
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
        expire(nowMillis);
        StreamPosition position = position();
        if (!epoch.equals(clientEpoch)) {
            return new Recovery(false, List.copyOf(entries), position);
        }
        if (since < 0 || since > seq) {
            return new Recovery(false, List.of(), position);
        }
        if (since == seq) {
            return new Recovery(true, List.of(), position);
        }
        Publication oldest = entries.peekFirst();
        if (oldest == null || oldest.seq() > since + 1) {
            return new Recovery(false, List.of(), position);
        }
        List<Publication> missed = new ArrayList<>((int) (seq - since));
        for (Publication entry : entries) {
            if (entry.seq() > since) {
                missed.add(entry);
            }
        }
        return new Recovery(true, missed, position);
    }

    /** Drops entries older than the TTL. */
    void expire(long nowMillis) {
        long cutoff = nowMillis - ttlMillis;
        Iterator<Publication> it = entries.iterator();
        while (it.hasNext() && it.next().timestampMillis() <= cutoff) {
            it.remove();
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
        return entries.size();
    }

    void markRemoved() {
        removed = true;
    }

    boolean removed() {
        return removed;
    }
}
