package dev.switchboard.broker.redis;

import dev.switchboard.core.Clock;
import io.lettuce.core.ScriptOutputType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Which nodes of the cluster are alive: one sorted set on the home, {@code sb:nodes} (node id →
 * lease end, in Redis's time), which each node renews every second ({@link RedisScripts#REGISTRY}),
 * reading back the live nodes. The presence scripts get that list from here instead of reading
 * other nodes' keys, so no script crosses Redis Cluster slots or shards.
 *
 * <p>A node's view of the live nodes is at most one renewal old; a node newer than the view is not
 * in it, so presence still counts a node that registered after the view was read (both times are the
 * registry's Redis clock, so nodes' clocks do not matter). A view older than {@link #STALE} (the
 * home did not answer) is no view: presence then counts every node's count and drops none.
 * Thread-safe; nothing blocks but {@link #leave}.
 */
final class NodeRegistry {
    /** How long a node counts as alive after its last renewal. */
    static final Duration LEASE = Duration.ofSeconds(5);
    /** How old a view may be before presence stops trusting it. */
    static final Duration STALE = Duration.ofSeconds(3);
    private static final byte[] UNKNOWN = {'*'};
    private static final View NONE = new View(UNKNOWN, new byte[] {'0'}, Long.MIN_VALUE);

    private final Shards shards;
    private final String nodeId;
    private final Clock clock;
    private final Runnable reregistered;
    private final byte[] leaseArg = ascii(LEASE.toMillis());
    private volatile View view = NONE;
    /** When this node first registered, in Redis's time (ms), or -1 before it did. */
    private volatile long registered = -1;

    /**
     * What a presence script is told: the live nodes (space-separated ids, or {@code *} if this node
     * does not know them), when the registry said so (its time, ms), and when this node asked (its
     * own clock).
     */
    record View(byte[] live, byte[] readAt, long askedAt) {
    }

    /**
     * @param reregistered run when this node registers again (the registry lost it): its counts in
     *     users' presence hashes carry the old registration time, which others may take for a node
     *     gone, so they must be recorded again
     */
    NodeRegistry(Shards shards, String nodeId, Clock clock, Runnable reregistered) {
        this.shards = shards;
        this.nodeId = nodeId;
        this.clock = clock;
        this.reregistered = reregistered;
    }

    /** Renews this node's lease and reads the live nodes; never fails (a failed renewal just leaves the view to age). */
    CompletableFuture<Void> renew() {
        long asked = clock.currentTimeMillis();
        return RedisScripts.REGISTRY.<List<Object>>run(shards.home(), ScriptOutputType.MULTI,
                new String[] {RedisKeys.REGISTRY}, ascii(nodeId), leaseArg).thenAccept(reply -> {
                    boolean again = false;
                    if ((Long) reply.get(1) == 1) {
                        // (Re)registered: first, or the registry lost this node (its data was lost, or
                        // this node could not renew in time). Its counts count from now.
                        again = registered >= 0;
                        registered = (Long) reply.get(0);
                    }
                    StringBuilder live = new StringBuilder();
                    for (int i = 2; i < reply.size(); i++) {
                        live.append(new String((byte[]) reply.get(i), StandardCharsets.US_ASCII)).append(' ');
                    }
                    view = new View(ascii(live), ascii(reply.get(0)), asked);
                    if (again) {
                        reregistered.run();
                    }
                }).handle((ok, error) -> null);
    }

    /** The live nodes as last read, or none ({@code *}) if that was longer than {@link #STALE} ago. */
    View view() {
        View v = view;
        return clock.currentTimeMillis() - v.askedAt() > STALE.toMillis() ? NONE : v;
    }

    /** Whether {@code node} may be alive: it is in the current view, or there is no view to tell. */
    boolean mayBeLive(String node) {
        View v = view();
        if (v == NONE) {
            return true;
        }
        return (" " + new String(v.live(), StandardCharsets.US_ASCII)).contains(" " + node + " ");
    }

    /** When this node registered (Redis time, ms; this node's clock before it first could). */
    byte[] registered() {
        long r = registered;
        return ascii(r >= 0 ? r : clock.currentTimeMillis());
    }

    /** Removes this node from the registry, waiting up to a second: its counts stop counting at once. */
    void leave() {
        try {
            RedisScripts.REGISTRY.run(shards.home(), ScriptOutputType.MULTI, new String[] {RedisKeys.REGISTRY},
                    ascii(nodeId), ascii(0)).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            // its lease expires by itself
        }
    }

    private static byte[] ascii(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }
}
