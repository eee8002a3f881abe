package dev.switchboard.broker.redis;

import dev.switchboard.broker.PresenceStore;
import io.lettuce.core.ScriptOutputType;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster's {@link PresenceStore}: each node's count of a user in the user's hash
 * ({@code sb:{user}:p}, {@code node → count:revision}), the total over nodes whose liveness key is
 * alive. One script per report ({@link RedisScripts#PRESENCE}) records the count unless a newer
 * revision is there, drops dead nodes' counts, and announces the total on the user's channel.
 * Thread-safe; nothing blocks.
 */
final class RedisPresence implements PresenceStore {
    private static final byte[] NO_CHANNEL = new byte[0];

    private final RedisLink link;
    private final String nodeId;
    private final UserSubscriptions subscriptions;

    RedisPresence(RedisLink link, String nodeId, UserSubscriptions subscriptions) {
        this.link = link;
        this.nodeId = nodeId;
        this.subscriptions = subscriptions;
    }

    @Override
    public CompletableFuture<Integer> presence(String userId, int localConnections, long revision) {
        subscriptions.localConnections(userId, localConnections, revision);
        return record(userId, localConnections, revision, true);
    }

    /**
     * Records this node's count of the user.
     *
     * @param announce whether to tell the other nodes holding the user the new total
     */
    CompletableFuture<Integer> record(String userId, int localConnections, long revision, boolean announce) {
        return RedisScripts.PRESENCE.<Long>run(link, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.presence(userId)}, ascii(nodeId), ascii(localConnections),
                ascii(RedisKeys.ALIVE_PREFIX),
                announce ? RedisKeys.channel(userId).getBytes(StandardCharsets.UTF_8) : NO_CHANNEL, ascii(revision))
                .thenApply(Long::intValue);
    }

    @Override
    public CompletableFuture<Integer> connections(String userId, int localConnections) {
        return RedisScripts.OTHERS.<Long>run(link, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.presence(userId)}, ascii(nodeId), ascii(RedisKeys.ALIVE_PREFIX))
                .thenApply(others -> others.intValue() + localConnections);
    }

    private static byte[] ascii(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }
}
