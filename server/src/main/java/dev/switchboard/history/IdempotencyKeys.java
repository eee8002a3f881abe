package dev.switchboard.history;

import dev.switchboard.core.PublishResult;

/**
 * The idempotency keys a single node saw within the window, and what each publish answered. A key
 * is kept as a 64-bit hash of its scope and text beside a hash of what it was used for (addressee
 * and message), the seq, epoch and count: about {@link #BYTES_PER_KEY} bytes of heap, in arrays
 * allocated as the store grows, so a million keys cost tens of megabytes and no object each.
 *
 * <p>Keys sit in a ring in the order they came, which is the order they expire: the oldest goes
 * when it is older than the window, or when the ring is full (at {@code capacity}, a share of
 * the history budget). An open-addressing table (linear probing) maps a key's hash to its slot.
 *
 * <p>Threading: thread-safe; every method holds this object's monitor briefly and calls nothing.
 * Lock order: a user's stream, then this store.
 */
final class IdempotencyKeys {
    /** Heap per key: six array cells and two table cells. */
    static final int BYTES_PER_KEY = 8 + 8 + 8 + 8 + 4 + 4 + 2 * 4;
    private static final int INITIAL_CAPACITY = 1024;
    private static final int PENDING = -1;

    /** What a claim found. */
    sealed interface Claim permits Fresh, Duplicate, Reused {
    }

    /**
     * A key not seen in the window: publish, then {@link #complete} (or {@link #abandon}) it — by
     * key, not by place: the store may grow, and move every key, between the two.
     */
    record Fresh() implements Claim {
    }

    /** A repeat of a key for the same addressee and message: the first publish's answer. */
    record Duplicate(PublishResult first) implements Claim {
    }

    /** The key was used for another addressee or message. */
    record Reused() implements Claim {
    }

    private static final Reused REUSED = new Reused();
    private static final Fresh FRESH = new Fresh();

    private final int maxCapacity;
    private final long windowMillis;
    private long[] keys;
    private long[] fingerprints;
    private long[] seqs;
    private long[] expires;
    private int[] delivered;
    private String[] epochs;
    /** Slot + 1 per table cell; 0 is empty. Twice the ring's capacity, a power of two. */
    private int[] table;
    private int head;
    private int size;
    private long evicted;

    /**
     * @param maxCapacity the most keys kept at once
     * @param windowMillis how long a key is kept
     */
    IdempotencyKeys(int maxCapacity, long windowMillis) {
        this.maxCapacity = Math.max(16, maxCapacity);
        this.windowMillis = windowMillis;
        allocate(Math.min(INITIAL_CAPACITY, this.maxCapacity));
    }

    synchronized int size() {
        return size;
    }

    /** Keys let go before their window ended because the store was full. */
    synchronized long evicted() {
        return evicted;
    }

    int maxCapacity() {
        return maxCapacity;
    }

    /**
     * Looks {@code key} up; if it is new, records it as in flight and returns its slot.
     *
     * @param fingerprint what the key is used for (addressee and message)
     */
    synchronized Claim claim(long key, long fingerprint, long nowMillis) {
        expire(nowMillis);
        int slot = find(key);
        if (slot >= 0) {
            if (fingerprints[slot] != fingerprint) {
                return REUSED;
            }
            if (delivered[slot] != PENDING) {
                return new Duplicate(new PublishResult(delivered[slot], seqs[slot], epochs[slot]).asDuplicate());
            }
            // In flight on another thread for the same user: impossible while callers hold the
            // user's stream; treat it as a repeat whose count is not known yet.
            return new Duplicate(new PublishResult(0, seqs[slot], epochs[slot], true, true));
        }
        if (size == keys.length) {
            if (keys.length < maxCapacity) {
                grow();
            } else {
                evicted++;
                removeOldest();
            }
        }
        int at = (head + size) % keys.length;
        keys[at] = key;
        fingerprints[at] = fingerprint;
        seqs[at] = 0;
        epochs[at] = null;
        delivered[at] = PENDING;
        expires[at] = nowMillis + windowMillis;
        size++;
        insert(key, at);
        return FRESH;
    }

    /** The publish of a fresh claim is done: repeats of its key get {@code result}. */
    synchronized void complete(long key, PublishResult result) {
        int slot = find(key);
        if (slot >= 0 && delivered[slot] == PENDING) {
            seqs[slot] = result.seq();
            epochs[slot] = result.epoch();
            delivered[slot] = result.delivered();
        }
    }

    /** The publish of a fresh claim failed: forget the key, so a retry is a first attempt. */
    synchronized void abandon(long key) {
        int slot = find(key);
        if (slot >= 0 && delivered[slot] == PENDING) {
            delivered[slot] = PENDING;
            expires[slot] = Long.MIN_VALUE; // gone at the next expiry pass
            remove(key);
        }
    }

    private void expire(long nowMillis) {
        while (size > 0 && (expires[head] <= nowMillis || find(keys[head]) != head)) {
            removeOldest();
        }
    }

    private void removeOldest() {
        if (find(keys[head]) == head) {
            remove(keys[head]);
        }
        epochs[head] = null;
        head = (head + 1) % keys.length;
        size--;
    }

    private int find(long key) {
        int mask = table.length - 1;
        for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
            int cell = table[i];
            if (cell == 0) {
                return -1;
            }
            if (keys[cell - 1] == key) {
                return cell - 1;
            }
        }
    }

    private void insert(long key, int slot) {
        int mask = table.length - 1;
        int i = spread(key) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = slot + 1;
    }

    /** Removes {@code key}'s cell, shifting later cells of its probe run back (no tombstones). */
    private void remove(long key) {
        int mask = table.length - 1;
        int i = spread(key) & mask;
        while (table[i] != 0 && keys[table[i] - 1] != key) {
            i = (i + 1) & mask;
        }
        if (table[i] == 0) {
            return;
        }
        table[i] = 0;
        for (int j = (i + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = spread(keys[table[j] - 1]) & mask;
            // Move the cell back into the hole if its home is not in (i, j].
            boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!between) {
                table[i] = table[j];
                table[j] = 0;
                i = j;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldFingerprints = fingerprints;
        long[] oldSeqs = seqs;
        long[] oldExpires = expires;
        int[] oldDelivered = delivered;
        String[] oldEpochs = epochs;
        int oldHead = head;
        int count = size;
        // An abandoned claim keeps its place in the ring (until it is the oldest) but is not in the
        // table, and must not come back into it.
        boolean[] live = new boolean[count];
        for (int k = 0; k < count; k++) {
            int from = (oldHead + k) % oldKeys.length;
            live[k] = find(oldKeys[from]) == from;
        }
        allocate(Math.min(maxCapacity, oldKeys.length * 2));
        for (int k = 0; k < count; k++) {
            int from = (oldHead + k) % oldKeys.length;
            keys[k] = oldKeys[from];
            fingerprints[k] = oldFingerprints[from];
            seqs[k] = oldSeqs[from];
            expires[k] = oldExpires[from];
            delivered[k] = oldDelivered[from];
            epochs[k] = oldEpochs[from];
            if (live[k]) {
                insert(keys[k], k);
            }
        }
        size = count;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        fingerprints = new long[capacity];
        seqs = new long[capacity];
        expires = new long[capacity];
        delivered = new int[capacity];
        epochs = new String[capacity];
        table = new int[Integer.highestOneBit(capacity * 2 - 1) << 1];
        head = 0;
        size = 0;
    }

    private static int spread(long key) {
        return (int) (key ^ (key >>> 32));
    }
}
