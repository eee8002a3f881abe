package dev.switchboard.broker.redis;

import dev.switchboard.core.StreamPosition;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The users this node is subscribed to, counted: the channel is subscribed on the first
 * {@link #subscribe} and unsubscribed when unsubscribes catch up, whatever order concurrent calls
 * land in (each change happens inside the map's lock for that user, and Redis applies one
 * connection's commands in order). A subscribe that fails is rolled back. For each user it also
 * remembers the last position seen and this node's connection count, so that after an outage the
 * broker can restore its presence and tell whether anything was missed. Thread-safe.
 */
final class UserSubscriptions {
    private final Shards shards;
    private final Function<String, CompletableFuture<StreamPosition>> position;
    private final ConcurrentHashMap<String, State> users = new ConcurrentHashMap<>();

    UserSubscriptions(Shards shards, Function<String, CompletableFuture<StreamPosition>> position) {
        this.shards = shards;
        this.position = position;
    }

    CompletableFuture<Void> subscribe(String user) {
        boolean[] first = new boolean[1];
        State state = users.compute(user, (u, s) -> {
            State current = s == null ? new State() : s;
            if (current.count++ == 0) {
                first[0] = true;
                current.subscribed = shards.of(u).subscribe(RedisKeys.channel(u));
            }
            return current;
        });
        return state.subscribed.whenComplete((ok, error) -> {
            if (error != null) {
                unsubscribe(user);
            } else if (first[0]) {
                // Where the stream stood when this node started listening, unless a message came first.
                position.apply(user).thenAccept(state::baseline);
            }
        });
    }

    CompletableFuture<Void> unsubscribe(String user) {
        CompletableFuture<Void>[] done = new CompletableFuture[1];
        users.computeIfPresent(user, (u, s) -> {
            if (--s.count > 0) {
                return s;
            }
            done[0] = shards.of(u).unsubscribe(RedisKeys.channel(u));
            return null;
        });
        return done[0] == null ? CompletableFuture.completedFuture(null) : done[0];
    }

    /** This node delivered {@code seq} of {@code epoch} to the user. */
    void seen(String user, long seq, String epoch) {
        State s = users.get(user);
        if (s != null) {
            s.seen(seq, epoch);
        }
    }

    /** This node holds {@code connections} of the user's connections, as of {@code revision}. */
    void localConnections(String user, int connections, long revision) {
        State s = users.get(user);
        if (s != null) {
            s.local(new LocalCount(connections, revision));
        }
    }

    /**
     * How many publications the user's stream moved past what this node delivered: the difference
     * of seqs, or when the stream was reset (another epoch) the new stream's seq, or 1 when it went
     * back (its next seqs would repeat delivered ones); negative when nothing was missed.
     */
    long missed(String user, StreamPosition now) {
        State s = users.get(user);
        return s == null ? -1 : s.missed(now);
    }

    /** Visits each subscribed user with this node's latest connection count. */
    void forEach(BiConsumer<String, LocalCount> action) {
        users.forEach((user, s) -> action.accept(user, s.local));
    }

    /** This node's count of a user's connections, and the revision it was taken at. */
    record LocalCount(int connections, long revision) {
        static final LocalCount NONE = new LocalCount(0, 0);
    }

    int size() {
        return users.size();
    }

    private static final class State {
        int count;
        volatile LocalCount local = LocalCount.NONE;
        CompletableFuture<Void> subscribed;
        private long seq;
        private String epoch;

        synchronized void seen(long seq, String epoch) {
            this.seq = seq;
            this.epoch = epoch;
        }

        /** The position when the subscription started, unless a publication came first. */
        synchronized void baseline(StreamPosition p) {
            if (epoch == null) {
                seq = p.seq();
                epoch = p.epoch();
            }
        }

        synchronized void local(LocalCount count) {
            if (count.revision() >= local.revision()) {
                local = count;
            }
        }

        synchronized long missed(StreamPosition now) {
            if (epoch == null) {
                return -1;
            }
            if (!epoch.equals(now.epoch())) {
                return now.seq();
            }
            if (now.seq() < seq) {
                // The stream went back (a failover to a replica that had not received the newest
                // entries): its next seqs repeat ones this node delivered, which sessions would drop.
                return 1;
            }
            return now.seq() > seq ? now.seq() - seq : -1;
        }
    }
}
