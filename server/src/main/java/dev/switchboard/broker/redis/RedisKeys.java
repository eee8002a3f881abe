package dev.switchboard.broker.redis;

/**
 * Where a cluster keeps things in Redis. A user's keys share the hash tag {@code {userId}}, so they
 * live in one Redis Cluster slot (and on one shard): {@code sb:{u}:m} (hash: epoch, seq, bytes),
 * {@code sb:{u}:h} (stream: history), {@code sb:{u}:p} (hash: connections per node), the channel
 * {@code sb:{u}:c}, and the idempotency keys of sends to the user,
 * {@code sb:{u}:k:<scope length>:<scope>:<key>} (string: fingerprint|seq|epoch[|delivered],
 * expiring after the history TTL). On one standalone Redis a send's idempotency key is global
 * instead, {@code sb:k:<scope length>:<scope>:<key>}, so the same key for another addressee is
 * recognised (and refused). A node has its channel {@code sb:node:<id>:c}; the node registry
 * {@code sb:nodes} (sorted set: node → lease end) and, with client-side shards, their layout
 * {@code sb:layout} (hash: shards, gen) are the keys every node shares, on the home.
 */
final class RedisKeys {
    /** The node registry, on the home. */
    static final String REGISTRY = "sb:nodes";
    /** Client-side shards' list and generation ({@link ShardLayout}), on the home. */
    static final String LAYOUT = "sb:layout";
    private static final String NODE_PREFIX = "sb:node:";
    private static final String USER_PREFIX = "sb:{";
    private static final String CHANNEL_SUFFIX = "}:c";

    private RedisKeys() {
    }

    static String meta(String user) {
        return USER_PREFIX + user + "}:m";
    }

    static String stream(String user) {
        return USER_PREFIX + user + "}:h";
    }

    static String presence(String user) {
        return USER_PREFIX + user + "}:p";
    }

    static String channel(String user) {
        return USER_PREFIX + user + CHANNEL_SUFFIX;
    }

    /** The user a channel from {@link #channel} belongs to. */
    static String userOfChannel(String channel) {
        if (!channel.startsWith(USER_PREFIX) || !channel.endsWith(CHANNEL_SUFFIX)) {
            throw new IllegalArgumentException("not a user channel");
        }
        return channel.substring(USER_PREFIX.length(), channel.length() - CHANNEL_SUFFIX.length());
    }

    /** A send's idempotency key: global on one standalone Redis, else in the addressee's slot. */
    static String idempotency(String user, String storeName, boolean global) {
        return global ? "sb:k:" + storeName : USER_PREFIX + user + "}:k:" + storeName;
    }

    static String nodeChannel(String node) {
        return NODE_PREFIX + node + ":c";
    }
}
