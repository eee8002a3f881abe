package dev.switchboard.history;

import dev.switchboard.core.Clock;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.IdempotencyKeyReusedException;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Every user's stream on a single node: the next {@code seq}, an epoch, and bounded history for
 * recovery after a reconnect.
 *
 * <p>Memory stays bounded under any traffic. The kept publications of every user share one
 * off-heap {@link HistoryLog} under one byte budget ({@link HistoryOptions#maxBytes()}): when it
 * is full the oldest entries go first, across all users. A stream keeps at most {@code size}
 * entries, none older than the TTL. A stream costs a few fields and a {@code long} per entry on
 * the heap, and there are at most {@link #maxStreams()} of them: past that, streams that nobody
 * holds and nobody used lately go (a second-chance clock), and one idle for the TTL goes at the
 * next {@link #sweep}. Eviction is honest: a resume that needs an evicted entry is not recovered,
 * and a dropped stream comes back in a new epoch.
 *
 * <p>Threading: thread-safe. Appends and recoveries on one user are serialised on that user's
 * stream; different users contend only for the log's short append. {@link #append} runs the
 * caller's {@code afterAppend} inside the stream's critical section, so whatever it does (deliver
 * to connections) happens in seq order. Lock order: stream, then log.
 */
public final class MemoryHistory {
    private static final Logger log = LoggerFactory.getLogger(MemoryHistory.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The most streams a budget allows: one per this many bytes of it, and at least the floor. */
    static final long BYTES_PER_STREAM = 4096;
    static final int MIN_STREAMS = 10_000;
    private static final long WARNING_INTERVAL_MILLIS = 60_000;
    /** The idempotency keys' share of the budget: one part in this many. */
    static final int KEYS_SHARE = 32;

    private final Clock clock;
    private final int capacity;
    private final long maxBytesPerUser;
    private final long ttlMillis;
    private final int maxStreams;
    private final Predicate<String> held;
    private final HistoryLog records;
    /** Idempotency keys of the last TTL: {@code 1 / KEYS_SHARE} of the budget, the log the rest. */
    private final IdempotencyKeys keys;
    private final ConcurrentHashMap<String, UserStream> streams = new ConcurrentHashMap<>();
    /** Every stream once, in creation order: the second-chance clock that keeps the count bounded. */
    private final ConcurrentLinkedQueue<UserStream> clockHand = new ConcurrentLinkedQueue<>();
    private final LongAdder[] evicted = new LongAdder[HistoryLog.Cause.values().length];
    private final AtomicLong nextWarning = new AtomicLong();

    /** A history with the default budget (tests): {@code size} entries per user for {@code ttl}. */
    public MemoryHistory(Clock clock, int capacity, Duration ttl) {
        this(clock, new HistoryOptions(capacity, ttl), 64 * 1024, user -> false);
    }

    /**
     * @param maxRecordBytes the largest message it must be able to keep
     * @param held whether someone holds a user here (a stream they hold is never dropped to make room)
     */
    public MemoryHistory(Clock clock, HistoryOptions options, int maxRecordBytes, Predicate<String> held) {
        this.clock = clock;
        this.capacity = options.size();
        this.maxBytesPerUser = options.maxBytesPerUser();
        this.ttlMillis = options.ttl().toMillis();
        this.held = held;
        this.maxStreams = (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_STREAMS, options.maxBytes() / BYTES_PER_STREAM));
        for (int i = 0; i < evicted.length; i++) {
            evicted[i] = new LongAdder();
        }
        long keysShare = options.maxBytes() / KEYS_SHARE;
        this.keys = new IdempotencyKeys((int) Math.min(Integer.MAX_VALUE / 4, keysShare / IdempotencyKeys.BYTES_PER_KEY),
                ttlMillis);
        this.records = new HistoryLog(options.maxBytes() - keysShare, maxRecordBytes, this::segmentDropped);
    }

    /**
     * Places the publication at the next seq of its user's stream, keeps it, and calls
     * {@code deliver} with it while still holding the stream (so a user's deliveries are in seq
     * order) — once per idempotency key: a repeat of {@code key} for the same user and message, within
     * the window, is answered with the first publish's result ({@link PublishResult#duplicate()})
     * and neither kept nor delivered again.
     *
     * @param key the sender's idempotency key, or {@code null}
     * @param deliver delivers the placed publication and returns how many connections it reached
     * @throws IdempotencyKeyReusedException if {@code key} was used for another user or message
     */
    public PublishResult publish(Publication publication, IdempotencyKey key, ToIntFunction<Publication> deliver) {
        while (true) {
            UserStream stream = stream(publication.userId());
            synchronized (stream) {
                if (stream.removed()) {
                    continue; // swept meanwhile: take the fresh one
                }
                long now = clock.currentTimeMillis();
                long hash = key == null ? 0 : key.hash();
                if (key != null) {
                    IdempotencyKeys.Claim claim = keys.claim(hash, IdempotencyKey.fingerprint(publication), now);
                    if (claim instanceof IdempotencyKeys.Duplicate duplicate) {
                        return duplicate.first();
                    }
                    if (claim instanceof IdempotencyKeys.Reused) {
                        throw new IdempotencyKeyReusedException();
                    }
                }
                PublishResult result;
                try {
                    Publication placed = stream.append(publication, now);
                    result = new PublishResult(deliver.applyAsInt(placed), placed.seq(), placed.epoch());
                } catch (RuntimeException e) {
                    if (key != null) {
                        keys.abandon(hash);
                    }
                    throw e;
                }
                if (key != null) {
                    keys.complete(hash, result);
                }
                return result;
            }
        }
    }

    /** Idempotency keys kept now. */
    public int idempotencyKeys() {
        return keys.size();
    }

    /** The most idempotency keys kept at once ({@value #KEYS_SHARE}th of the budget). */
    public int maxIdempotencyKeys() {
        return keys.maxCapacity();
    }

    /** Idempotency keys let go before their window ended, because the store was full. */
    public long idempotencyKeysEvicted() {
        return keys.evicted();
    }

    /**
     * Places the publication at the next seq of its user's stream and keeps it, then calls
     * {@code afterAppend} with the placed publication while still holding the stream, so that
     * concurrent appends to one user reach {@code afterAppend} in seq order.
     *
     * @return the placed publication
     */
    public Publication append(Publication publication, Consumer<Publication> afterAppend) {
        while (true) {
            UserStream stream = stream(publication.userId());
            synchronized (stream) {
                if (stream.removed()) {
                    continue; // swept meanwhile: take the fresh one
                }
                Publication placed = stream.append(publication, clock.currentTimeMillis());
                afterAppend.accept(placed);
                return placed;
            }
        }
    }

    /** What a client at {@code since} of {@code epoch} missed, and the stream's position. */
    public Recovery recover(String userId, long since, String epoch) {
        while (true) {
            UserStream stream = stream(userId);
            synchronized (stream) {
                if (!stream.removed()) {
                    return stream.recover(since, epoch, clock.currentTimeMillis());
                }
            }
        }
    }

    /** The user's current position (creating the stream, with a new epoch, if there is none). */
    public StreamPosition position(String userId) {
        while (true) {
            UserStream stream = stream(userId);
            synchronized (stream) {
                if (!stream.removed()) {
                    return stream.position();
                }
            }
        }
    }

    /**
     * Restarts the idle time of the user's stream, if there is one, so that it lives for the TTL
     * from now. Call it when the user's last connection leaves: a stream goes only after the TTL
     * with no publications <em>and</em> no connections, or a client that was connected through a
     * quiet spell would lose its position to a momentary disconnect.
     */
    public void touch(String userId) {
        UserStream stream = streams.get(userId);
        if (stream != null) {
            synchronized (stream) {
                stream.touch(clock.currentTimeMillis());
            }
        }
    }

    /**
     * Drops expired history — whole segments of the log, and each stream's expired entries — and
     * whole streams idle for the TTL whose user {@code held} says nobody holds. Call it periodically.
     *
     * @return the number of streams dropped
     */
    public int sweep(Predicate<String> held) {
        long now = clock.currentTimeMillis();
        records.expire(now - ttlMillis);
        int dropped = 0;
        for (var entry : streams.entrySet()) {
            UserStream stream = entry.getValue();
            synchronized (stream) {
                stream.expire(now);
                if (stream.idle(now) && !held.test(entry.getKey())) {
                    remove(entry.getKey(), stream, HistoryLog.Cause.TTL);
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /** Number of streams in memory. */
    public int streams() {
        return streams.size();
    }

    /** The most streams it keeps. */
    public int maxStreams() {
        return maxStreams;
    }

    /** Number of publications held across all streams (for metrics and tests). */
    public long publications() {
        return records.records();
    }

    /** The bytes of history kept now: the log's live segments, off the heap. */
    public long bytes() {
        return records.bytes();
    }

    /** The most bytes of history kept: the budget, rounded down to whole segments. */
    public long budget() {
        return records.budget();
    }

    /** Entries let go so far because of {@code cause} (one per entry). */
    public long evictions(HistoryLog.Cause cause) {
        return evicted[cause.ordinal()].sum();
    }

    /** The users with a stream (a snapshot). */
    public Set<String> users() {
        return Set.copyOf(streams.keySet());
    }

    private UserStream stream(String userId) {
        UserStream found = streams.get(userId);
        if (found != null) {
            return found;
        }
        if (streams.size() >= maxStreams) {
            makeRoom();
        }
        return streams.computeIfAbsent(userId, user -> {
            UserStream created = new UserStream(user, newEpoch(), capacity, maxBytesPerUser, ttlMillis,
                    clock.currentTimeMillis(), records, this::streamEvicted);
            clockHand.add(created);
            return created;
        });
    }

    /**
     * Drops streams until there is room for one more: the clock hand passes streams in creation
     * order, gives a stream used since it last passed (or held by a connection) a second chance,
     * and drops the first one that had none. Its user's next message starts a new epoch.
     */
    private void makeRoom() {
        int budget = 2 * Math.max(1, streams.size() - maxStreams + 1) + 64;
        while (streams.size() >= maxStreams && budget-- > 0) {
            UserStream candidate = clockHand.poll();
            if (candidate == null) {
                return;
            }
            synchronized (candidate) {
                if (candidate.removed()) {
                    continue;
                }
                String user = candidate.userId();
                if (candidate.referenced || held.test(user)) {
                    candidate.referenced = false;
                    clockHand.add(candidate);
                    continue;
                }
                remove(user, candidate, HistoryLog.Cause.BUDGET);
            }
        }
    }

    /** Under the stream's monitor. */
    private void remove(String user, UserStream stream, HistoryLog.Cause cause) {
        stream.release(cause);
        stream.markRemoved();
        streams.remove(user, stream);
    }

    private void streamEvicted(HistoryLog.Cause cause, int count) {
        evicted[cause.ordinal()].add(count);
    }

    /** The log dropped a segment (under its monitor): warn, at most once a minute, when it was young. */
    private void segmentDropped(int count, HistoryLog.Cause cause, long newestMillis) {
        evicted[cause.ordinal()].add(count);
        long now = clock.currentTimeMillis();
        if (cause != HistoryLog.Cause.BUDGET || newestMillis < now - ttlMillis) {
            return;
        }
        long next = nextWarning.get();
        if (now >= next && nextWarning.compareAndSet(next, now + WARNING_INTERVAL_MILLIS)) {
            log.warn("history is full ({} bytes): recent messages (under --history-ttl old) are being dropped to"
                    + " make room, so some resumes will not be recovered; raise --history-max-bytes or lower"
                    + " --history-ttl", records.budget());
        }
    }

    private static String newEpoch() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
