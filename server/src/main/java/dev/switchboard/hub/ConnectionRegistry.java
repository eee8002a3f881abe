package dev.switchboard.hub;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The users this node holds: {@code userId -> their connections}, sharded by user hash — the one
 * record of "this user is here". A user is here from the first {@link #reserve} (a connection
 * about to open) or {@link #add} until the last connection is removed and no reservation is left;
 * the registry reports that first and last moment, which is when the node declares and withdraws
 * its interest in the user's messages. Each user's entry carries that interest: a future that
 * completes when the user's messages reach this node.
 *
 * <p>Lookups ({@link #sessions}) are lock-free and allocation-free: each user maps to an immutable
 * entry that writers replace (copy on write), which suits the shape of the load — a user has a few
 * connections and is looked up on every message, but connects rarely. Writers to one user are
 * serialised by the shard's per-key atomic update, and never call out while they hold it. Sharding
 * keeps each table small, so a resize touches one shard at a time.
 *
 * <p>Guarantees: every change is atomic per user and reports exactly what changed; {@link #remove}
 * matches by identity, so a stale session cannot unregister a newer one; a user with no connection
 * and no reservation leaves no entry behind. Counts are exact at quiescence.
 */
public final class ConnectionRegistry {
    /** Number of shards; a power of two. */
    public static final int DEFAULT_SHARDS = 64;
    private static final Session[] NONE = new Session[0];

    private final ConcurrentHashMap<String, UserEntry>[] shards;
    private final int mask;
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong revisions = new AtomicLong();

    public ConnectionRegistry() {
        this(DEFAULT_SHARDS);
    }

    @SuppressWarnings("unchecked")
    public ConnectionRegistry(int shardCount) {
        if (shardCount <= 0 || Integer.bitCount(shardCount) != 1) {
            throw new IllegalArgumentException("shardCount must be a power of two: " + shardCount);
        }
        shards = new ConcurrentHashMap[shardCount];
        for (int i = 0; i < shardCount; i++) {
            shards[i] = new ConcurrentHashMap<>();
        }
        mask = shardCount - 1;
    }

    /**
     * Holds a place for a connection of {@code userId} that is about to open ({@link #add} takes
     * it, {@link #release} gives it back).
     *
     * @return whether this made the user arrive (the caller must then declare interest and complete
     *     the returned future), and the user's interest future
     */
    public Reservation reserve(String userId) {
        boolean[] first = new boolean[1];
        UserEntry entry = shard(userId).compute(userId, (user, current) -> {
            if (current == null) {
                first[0] = true;
                return new UserEntry(NONE, 1, new CompletableFuture<>());
            }
            return new UserEntry(current.sessions, current.reserved + 1, current.interest);
        });
        return new Reservation(first[0], entry.interest);
    }

    /**
     * Gives back a reservation whose connection never opened.
     *
     * @return the user's interest future if this made the user leave (nothing else holds the user
     *     here), else {@code null}
     */
    public CompletableFuture<Void> release(String userId) {
        Departure departure = new Departure();
        shard(userId).computeIfPresent(userId, (user, current) -> {
            if (current.reserved == 0) {
                return current;
            }
            return departure.leaving(current, new UserEntry(current.sessions, current.reserved - 1, current.interest));
        });
        return departure.interest;
    }

    /** Registers {@code session} under its user, taking one of the user's reservations if there is one. */
    public RegistryChange add(Session session) {
        String userId = requireUser(session);
        RegistryChange[] change = {RegistryChange.UNCHANGED};
        shard(userId).compute(userId, (user, current) -> {
            if (current == null) {
                change[0] = RegistryChange.USER_ONLINE;
                return new UserEntry(new Session[] {session}, 0, new CompletableFuture<>());
            }
            for (Session s : current.sessions) {
                if (s == session) {
                    return current;
                }
            }
            Session[] next = java.util.Arrays.copyOf(current.sessions, current.sessions.length + 1);
            next[current.sessions.length] = session;
            change[0] = current.sessions.length == 0 ? RegistryChange.USER_ONLINE : RegistryChange.ADDED;
            return new UserEntry(next, Math.max(0, current.reserved - 1), current.interest);
        });
        count(change[0]);
        return change[0];
    }

    /** Unregisters exactly this session object (identity, not equality). */
    public RegistryChange remove(Session session) {
        return leave(session).change();
    }

    /**
     * Unregisters exactly this session object (identity, not equality), and says whether the user
     * left with it.
     */
    public Removal leave(Session session) {
        String userId = requireUser(session);
        RegistryChange[] change = {RegistryChange.UNCHANGED};
        Departure departure = new Departure();
        shard(userId).computeIfPresent(userId, (user, current) -> {
            int index = indexOf(current.sessions, session);
            if (index < 0) {
                return current;
            }
            Session[] next = NONE;
            if (current.sessions.length > 1) {
                next = new Session[current.sessions.length - 1];
                System.arraycopy(current.sessions, 0, next, 0, index);
                System.arraycopy(current.sessions, index + 1, next, index, current.sessions.length - index - 1);
            }
            change[0] = next.length == 0 ? RegistryChange.USER_OFFLINE : RegistryChange.REMOVED;
            return departure.leaving(current, new UserEntry(next, current.reserved, current.interest));
        });
        count(change[0]);
        return new Removal(change[0], departure.interest);
    }

    /** The user's connections at this instant; an empty array when none. Do not modify it. */
    public Session[] sessions(String userId) {
        UserEntry found = shard(userId).get(userId);
        return found == null ? NONE : found.sessions;
    }

    /**
     * The user's number of connections with a revision, read atomically with respect to the user's
     * adds and removes: of two snapshots of one user, the one with the higher revision was taken
     * later and reflects every change before it. A node reports its counts to other nodes with the
     * revision, so a report that arrives late cannot overwrite a newer one.
     */
    public Snapshot snapshot(String userId) {
        int[] count = new int[1];
        long[] revision = new long[1];
        shard(userId).compute(userId, (user, current) -> {
            count[0] = current == null ? 0 : current.sessions.length;
            revision[0] = revisions.incrementAndGet();
            return current;
        });
        return new Snapshot(count[0], revision[0]);
    }

    /** A user's connection count at one revision: see {@link #snapshot}. */
    public record Snapshot(int connections, long revision) {
    }

    /**
     * A place held for a connection about to open.
     *
     * @param first whether the user arrived with it: the holder declares interest and completes
     *     {@code interest} (normally or not)
     * @param interest completes when the user's messages reach this node, or fails if they cannot
     */
    public record Reservation(boolean first, CompletableFuture<Void> interest) {
    }

    /**
     * What a removal changed.
     *
     * @param interest the user's interest future when the user left this node (no connection and no
     *     reservation remain), else {@code null}: its holder withdraws the interest
     */
    public record Removal(RegistryChange change, CompletableFuture<Void> interest) {
    }

    /** Number of users with at least one registered connection. */
    public int users() {
        return users.get();
    }

    /** Number of registered connections (send-only connections are not registered). */
    public int connections() {
        return connections.get();
    }

    /** Calls {@code action} for every registered session, shard by shard (weakly consistent). */
    public void forEach(Consumer<Session> action) {
        for (ConcurrentHashMap<String, UserEntry> shard : shards) {
            for (UserEntry entry : shard.values()) {
                for (Session s : entry.sessions) {
                    action.accept(s);
                }
            }
        }
    }

    private void count(RegistryChange change) {
        switch (change) {
            case USER_ONLINE -> {
                users.incrementAndGet();
                connections.incrementAndGet();
            }
            case ADDED -> connections.incrementAndGet();
            case REMOVED -> connections.decrementAndGet();
            case USER_OFFLINE -> {
                users.decrementAndGet();
                connections.decrementAndGet();
            }
            default -> {
            }
        }
    }

    private ConcurrentHashMap<String, UserEntry> shard(String userId) {
        return shards[shardIndex(userId, mask)];
    }

    /** The shard of {@code userId} among {@code mask + 1} shards. */
    static int shardIndex(String userId, int mask) {
        // The table inside a shard indexes by the hash's low bits, so the shard must not: were both
        // to use them, every key of a shard would land in the same 1/64 of its bins (measured: bins
        // overflowed into trees on the hot path). Mix, then take the top bits.
        int h = userId.hashCode() * 0x9E3779B9;
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        return (h >>> 16) & mask;
    }

    private static int indexOf(Session[] sessions, Session session) {
        for (int i = 0; i < sessions.length; i++) {
            if (sessions[i] == session) {
                return i;
            }
        }
        return -1;
    }

    private static String requireUser(Session session) {
        String userId = session.userId();
        if (userId == null) {
            throw new IllegalArgumentException("a send-only session is not registered");
        }
        return userId;
    }

    /** One user's entry: immutable, replaced on every change. */
    private record UserEntry(Session[] sessions, int reserved, CompletableFuture<Void> interest) {
        boolean empty() {
            return sessions.length == 0 && reserved == 0;
        }
    }

    /** Collects, inside an update, whether the user left: the entry is then removed. */
    private static final class Departure {
        CompletableFuture<Void> interest;

        UserEntry leaving(UserEntry before, UserEntry after) {
            if (!after.empty()) {
                return after;
            }
            interest = before.interest;
            return null;
        }
    }
}
