package dev.switchboard.hub;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The live connections of this node by user: {@code userId -> sessions}, sharded by user hash.
 *
 * <p>Lookups ({@link #sessions}) are lock-free and allocation-free: each user maps to an immutable
 * array that writers replace (copy on write), which suits the shape of the load — a user has a few
 * connections and is looked up on every message, but connects rarely. Writers to one user are
 * serialised by the shard's per-key atomic update. Sharding keeps each table small, so a resize
 * touches one shard at a time and a full sweep can proceed shard by shard.
 *
 * <p>Guarantees: {@link #add} and {@link #remove} are atomic per user and report exactly what
 * changed; {@link #remove} matches by identity, so a stale session cannot unregister a newer one;
 * a user whose last connection is removed leaves no entry behind. Counts are exact at quiescence.
 */
public final class ConnectionRegistry {
    /** Number of shards; a power of two. */
    public static final int DEFAULT_SHARDS = 64;
    private static final Session[] NONE = new Session[0];

    private final ConcurrentHashMap<String, Session[]>[] shards;
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

    /** Registers {@code session} under its user. The session must have a non-null user. */
    public RegistryChange add(Session session) {
        String userId = requireUser(session);
        RegistryChange[] change = {RegistryChange.UNCHANGED};
        shard(userId).compute(userId, (user, current) -> {
            if (current == null) {
                change[0] = RegistryChange.USER_ONLINE;
                return new Session[] {session};
            }
            for (Session s : current) {
                if (s == session) {
                    return current;
                }
            }
            Session[] next = java.util.Arrays.copyOf(current, current.length + 1);
            next[current.length] = session;
            change[0] = RegistryChange.ADDED;
            return next;
        });
        if (change[0] == RegistryChange.USER_ONLINE) {
            users.incrementAndGet();
        }
        if (change[0].changed()) {
            connections.incrementAndGet();
        }
        return change[0];
    }

    /** Unregisters exactly this session object (identity, not equality). */
    public RegistryChange remove(Session session) {
        String userId = requireUser(session);
        RegistryChange[] change = {RegistryChange.UNCHANGED};
        shard(userId).computeIfPresent(userId, (user, current) -> {
            int index = -1;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == session) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                return current;
            }
            if (current.length == 1) {
                change[0] = RegistryChange.USER_OFFLINE;
                return null;
            }
            Session[] next = new Session[current.length - 1];
            System.arraycopy(current, 0, next, 0, index);
            System.arraycopy(current, index + 1, next, index, current.length - index - 1);
            change[0] = RegistryChange.REMOVED;
            return next;
        });
        if (change[0] == RegistryChange.USER_OFFLINE) {
            users.decrementAndGet();
        }
        if (change[0].changed()) {
            connections.decrementAndGet();
        }
        return change[0];
    }

    /** The user's connections at this instant; an empty array when none. Do not modify it. */
    public Session[] sessions(String userId) {
        Session[] found = shard(userId).get(userId);
        return found == null ? NONE : found;
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
            count[0] = current == null ? 0 : current.length;
            revision[0] = revisions.incrementAndGet();
            return current;
        });
        return new Snapshot(count[0], revision[0]);
    }

    /** A user's connection count at one revision: see {@link #snapshot}. */
    public record Snapshot(int connections, long revision) {
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
        for (ConcurrentHashMap<String, Session[]> shard : shards) {
            for (Session[] list : shard.values()) {
                for (Session s : list) {
                    action.accept(s);
                }
            }
        }
    }

    private ConcurrentHashMap<String, Session[]> shard(String userId) {
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

    private static String requireUser(Session session) {
        String userId = session.userId();
        if (userId == null) {
            throw new IllegalArgumentException("a send-only session is not registered");
        }
        return userId;
    }
}
