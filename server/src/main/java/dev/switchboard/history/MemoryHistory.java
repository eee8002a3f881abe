package dev.switchboard.history;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Publication;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every user's stream on a single node: the next {@code seq}, an epoch, and bounded history for
 * recovery after a reconnect.
 *
 * <p>Memory stays bounded: a stream keeps at most {@code capacity} publications, none older than
 * {@code ttl}, and a stream that had no publication, and no connection leaving ({@link #touch}), for
 * {@code ttl} is dropped entirely when nobody holds it ({@link #sweep}) — so an idle user costs nothing, and the cost of an active one is
 * capped. A dropped stream comes back with a new epoch, which tells a resuming client honestly
 * that its position can no longer be recovered.
 *
 * <p>Threading: thread-safe. Appends and recoveries on one user are serialised on that user's
 * stream; different users never contend. {@link #append} runs the caller's {@code afterAppend}
 * inside that critical section, so whatever it does (deliver to connections) happens in seq order.
 */
public final class MemoryHistory {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final int capacity;
    private final long ttlMillis;
    private final ConcurrentHashMap<String, UserStream> streams = new ConcurrentHashMap<>();

    /**
     * @param capacity publications kept per user (0 keeps none: positions only)
     * @param ttl how long a publication stays recoverable, and how long an idle stream lives
     */
    public MemoryHistory(Clock clock, int capacity, Duration ttl) {
        if (capacity < 0 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("capacity must be >= 0 and ttl positive");
        }
        this.clock = clock;
        this.capacity = capacity;
        this.ttlMillis = ttl.toMillis();
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
     * Drops expired publications, and whole streams idle for the TTL whose user {@code held} says
     * nobody holds. Call it periodically.
     *
     * @return the number of streams dropped
     */
    public int sweep(Predicate<String> held) {
        long now = clock.currentTimeMillis();
        int dropped = 0;
        for (var entry : streams.entrySet()) {
            UserStream stream = entry.getValue();
            synchronized (stream) {
                stream.expire(now);
                if (stream.idle(now) && !held.test(entry.getKey())) {
                    stream.markRemoved();
                    streams.remove(entry.getKey(), stream);
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

    /** Number of publications held across all streams (for metrics and tests). */
    public long publications() {
        long total = 0;
        for (UserStream stream : streams.values()) {
            synchronized (stream) {
                total += stream.size();
            }
        }
        return total;
    }

    /** The users with a stream (a snapshot). */
    public Set<String> users() {
        return Set.copyOf(streams.keySet());
    }

    private UserStream stream(String userId) {
        return streams.computeIfAbsent(userId,
                user -> new UserStream(newEpoch(), capacity, ttlMillis, clock.currentTimeMillis()));
    }

    private static String newEpoch() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
