package dev.switchboard.broker.redis;

/**
 * Where a cluster keeps things in Redis. A user's keys share the hash tag {@code {userId}}:
 * {@code sb:{u}:m} (hash: epoch, seq), {@code sb:{u}:h} (stream: history), {@code sb:{u}:p} (hash:
 * connections per node), and the channel {@code sb:{u}:c}. A node has its channel
 * {@code sb:node:<id>:c} and its liveness key {@code sb:node:<id>}. A sender's idempotency key is
 * {@code sb:k:<scope length>:<scope>:<key>} (string: fingerprint|seq|epoch[|delivered], expiring
 * after the history TTL).
 */
final class RedisKeys {
    static final String ALIVE_PREFIX = "sb:node:";
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

    static String idempotency(String storeName) {
        return "sb:k:" + storeName;
    }

    static String alive(String node) {
        return ALIVE_PREFIX + node;
    }

    static String nodeChannel(String node) {
        return ALIVE_PREFIX + node + ":c";
    }
}
