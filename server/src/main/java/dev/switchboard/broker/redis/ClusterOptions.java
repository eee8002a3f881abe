package dev.switchboard.broker.redis;

import dev.switchboard.core.Durations;
import dev.switchboard.core.RedisAddress;
import dev.switchboard.core.Require;

import java.time.Duration;

/**
 * How a node joins a cluster: through which Redis, and how long it waits for the others.
 *
 * @param redis what {@code --redis} names ({@link RedisAddress}: one Redis, client-side shards, or a
 *     Redis Cluster), or {@code null} for a node alone in memory
 * @param ackTimeout how long a publish waits for the other nodes' delivery counts
 */
public record ClusterOptions(String redis, Duration ackTimeout) {
    public static final String DEFAULT_ACK_TIMEOUT = "500ms";

    public ClusterOptions {
        Require.positive("cluster-ack-timeout", ackTimeout);
        if (redis != null) {
            RedisAddress.parse(redis);
        }
    }

    public static ClusterOptions defaults() {
        return new ClusterOptions(null, Durations.parse(DEFAULT_ACK_TIMEOUT));
    }

    /** The parsed form of {@link #redis}; only when {@link #enabled}. */
    public RedisAddress address() {
        return RedisAddress.parse(redis);
    }

    /** Whether the node joins a cluster. */
    public boolean enabled() {
        return redis != null;
    }

    @Override
    public String toString() {
        return "ClusterOptions[redis=" + (redis == null ? "none" : "***") + ", ackTimeout=" + ackTimeout + "]";
    }
}
