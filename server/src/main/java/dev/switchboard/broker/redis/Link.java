package dev.switchboard.broker.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.concurrent.CompletableFuture;

/**
 * A node's connections to one Redis deployment that holds users' keys — a standalone Redis (or a
 * Sentinel-managed primary), one of several client-side shards ({@link StandaloneLink}), or a whole
 * Redis Cluster ({@link ClusterLink}) — and their health: one connection for commands, one for
 * subscriptions, and a probe the node publishes to its own channel every {@link #tick} to find a
 * subscription that went silent.
 *
 * <p>Channels: a standalone Redis uses classic pub/sub ({@code PUBLISH}/{@code SUBSCRIBE}); a Redis
 * Cluster sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}), so a message reaches only the
 * shard that owns its channel's slot instead of being broadcast to every cluster node.
 *
 * <p>Threading: thread-safe; no method blocks but {@link #close}. Failure: commands fail at once
 * while the deployment is unreachable (they are not queued), and after a timeout; a request
 * refused without being sent fails with {@link dev.switchboard.core.BrokerUnavailableException}.
 */
interface Link extends AutoCloseable {
    /** How long a probe may take to come back before the subscription counts as silent. */
    java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(3);
    /** How long a command may take. */
    java.time.Duration COMMAND_TIMEOUT = java.time.Duration.ofSeconds(2);

    /** What a link hands its owner. Called on Lettuce's threads; must not block. */
    interface Handler {
        void onMessage(String channel, byte[] message);

        /** Subscriptions work again after they had failed: messages may have been missed meanwhile. */
        void onResubscribed();
    }

    /** Connects both connections if they are not; completes when both are up and subscribed. */
    CompletableFuture<Void> connect();

    /**
     * Keeps the link healthy; call it about once a second: connects if not connected, sends a probe,
     * and replaces a subscription whose probes stopped coming back.
     */
    void tick();

    /** Whether commands reach Redis and the subscriptions carry messages, as of the last probe. */
    boolean ready();

    /** The command interface (a Redis Cluster's routes each command by its first key's slot), or {@code null} before the first connection. */
    RedisClusterAsyncCommands<String, byte[]> redis();

    /** Whether scripts may run by their SHA-1 ({@link RedisScripts}). */
    boolean scriptsCached();

    /** Redis may have lost its script cache (a reconnect, a NOSCRIPT, a failover): send scripts as text until they are loaded again. */
    void scriptsLost();

    /**
     * Writes {@code commands} on the command connection together, with one flush (one syscall, one
     * round trip for all): what {@link PublishBatcher} sends. On a Redis Cluster each goes to the
     * master of its first key's slot.
     *
     * @return whether they were written; {@code false} (nothing sent) when there is no connection
     */
    boolean dispatch(java.util.List<io.lettuce.core.protocol.RedisCommand<String, byte[], ?>> commands);

    /** Subscribes to {@code channel} (kept across reconnects). */
    CompletableFuture<Void> subscribe(String channel);

    /** Unsubscribes from {@code channel}. */
    CompletableFuture<Void> unsubscribe(String channel);

    /** Publishes on {@code channel}: {@code PUBLISH}, or {@code SPUBLISH} on a Redis Cluster. */
    CompletableFuture<Long> publish(String channel, byte[] message);

    /** The publish command the scripts call: {@code PUBLISH}, or {@code SPUBLISH} on a Redis Cluster. */
    byte[] publishCommand();

    /** Closes both connections. Does not throw. */
    @Override
    void close();
}
