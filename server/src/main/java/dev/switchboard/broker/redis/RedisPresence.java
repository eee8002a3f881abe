package dev.switchboard.broker.redis;

import dev.switchboard.broker.PresenceStore;
import io.lettuce.core.ScriptOutputType;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster's {@link PresenceStore}: each node's count of a user in the user's hash
 * ({@code sb:{user}:p}, {@code node → count:revision:registered}, on the user's shard or slot), the
 * total over the nodes that are alive — which the {@link NodeRegistry} tells the script, so the script
 * touches the user's slot only. One script per report ({@link RedisScripts#PRESENCE}) records the
 * count unless a newer revision is there, drops the counts of nodes that are gone, and announces the
 * total on the user's channel. Thread-safe; nothing blocks.
 */
final class RedisPresence implements PresenceStore {
    private static final byte[] NO_CHANNEL = new byte[0];

    private final Shards shards;
    private final NodeRegistry registry;
    private final byte[] nodeId;
    private final UserSubscriptions subscriptions;

    RedisPresence(Shards shards, NodeRegistry registry, String nodeId, UserSubscriptions subscriptions) {
        this.shards = shards;
        this.registry = registry;
        this.nodeId = ascii(nodeId);
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
        Link link = shards.of(userId);
        NodeRegistry.View live = registry.view();
        return RedisScripts.PRESENCE.<Long>run(link, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.presence(userId)}, nodeId, ascii(localConnections), live.live(),
                announce ? RedisKeys.channel(userId).getBytes(StandardCharsets.UTF_8) : NO_CHANNEL, ascii(revision),
                link.publishCommand(), registry.registered(), live.readAt())
                .thenApply(Long::intValue);
    }

    @Override
    public CompletableFuture<Integer> connections(String userId, int localConnections) {
        NodeRegistry.View live = registry.view();
        return RedisScripts.OTHERS.<Long>run(shards.of(userId), ScriptOutputType.INTEGER,
                new String[] {RedisKeys.presence(userId)}, nodeId, live.live(), live.readAt())
                .thenApply(others -> others.intValue() + localConnections);
    }

    private static byte[] ascii(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }
}
