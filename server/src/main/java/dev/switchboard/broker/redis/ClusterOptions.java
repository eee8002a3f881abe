package dev.switchboard.broker.redis;

import dev.switchboard.core.Durations;
import dev.switchboard.core.Require;

import java.time.Duration;
import java.util.Set;

/**
 * How a node joins a cluster: through which Redis, and how long it waits for the others.
 *
 * @param redis a Redis URI, or {@code null} for a node alone in memory
 * @param ackTimeout how long a publish waits for the other nodes' delivery counts
 */
public record ClusterOptions(String redis, Duration ackTimeout) {
    public static final String DEFAULT_ACK_TIMEOUT = "500ms";
    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel",
            "redis-socket");

    public ClusterOptions {
        Require.positive("cluster-ack-timeout", ackTimeout);
        if (redis != null) {
            String scheme = redis.contains("://") ? redis.substring(0, redis.indexOf("://")) : "";
            if (!SCHEMES.contains(scheme)) {
                throw new IllegalArgumentException("--redis must be a redis://, rediss://, redis-sentinel:// or"
                        + " redis-socket:// URI");
            }
        }
    }

    public static ClusterOptions defaults() {
        return new ClusterOptions(null, Durations.parse(DEFAULT_ACK_TIMEOUT));
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
