package dev.switchboard.broker.redis;

import dev.switchboard.core.Clock;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Link} to one standalone Redis (or Sentinel-managed primary): the whole store of a
 * single-Redis cluster, or one client-side shard. Classic pub/sub; Lettuce resubscribes after a
 * reconnect. Thread-safe; no method blocks but {@link #close}.
 */
final class StandaloneLink extends ProbedLink<StatefulRedisConnection<String, byte[]>,
        StatefulRedisPubSubConnection<String, byte[]>> {
    private static final Logger log = LoggerFactory.getLogger(StandaloneLink.class);
    private static final byte[] PUBLISH = "PUBLISH".getBytes(StandardCharsets.US_ASCII);

    private final RedisURI uri;
    private final RedisClient client;

    /**
     * @param client the Lettuce client the links of a node share ({@link Shards} owns and closes it)
     * @param uri where Redis is; the connections are named after {@code probeChannel} in CLIENT LIST
     */
    StandaloneLink(RedisClient client, RedisURI uri, Clock clock, String probeChannel, Handler handler) {
        super(clock, probeChannel, handler);
        uri.setClientName("switchboard:" + probeChannel);
        this.uri = uri;
        this.client = client;
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == pubsub && !closed) {
                    subscriptionsFailed();
                    log.warn("lost the Redis subscription connection to {}; reconnecting", where());
                }
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (connection == pubsub) {
                    subscriptionConnected();
                }
                if (connection == commands) {
                    // A reconnect, maybe to a Redis that restarted with an empty script cache.
                    scriptsLost();
                }
            }
        });
    }

    @Override
    protected String where() {
        return Shards.masked(uri);
    }

    @Override
    protected CompletableFuture<StatefulRedisConnection<String, byte[]>> connectCommands() {
        return client.connectAsync(CODEC, uri).toCompletableFuture();
    }

    @Override
    protected CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> connectSubscriptions() {
        return client.connectPubSubAsync(CODEC, uri).toCompletableFuture();
    }

    @Override
    protected RedisClusterAsyncCommands<String, byte[]> commandsOf(StatefulRedisConnection<String, byte[]> connection) {
        return connection.async();
    }

    @Override
    protected CompletableFuture<Void> loadScripts(StatefulRedisConnection<String, byte[]> connection) {
        return RedisScripts.loadAll(connection.async());
    }

    @Override
    protected CompletableFuture<Void> subscribeAll(StatefulRedisPubSubConnection<String, byte[]> connection,
                                                   String[] all) {
        return connection.async().subscribe(all).toCompletableFuture();
    }

    @Override
    protected CompletableFuture<Void> unsubscribeOne(StatefulRedisPubSubConnection<String, byte[]> connection,
                                                     String channel) {
        return connection.async().unsubscribe(channel).toCompletableFuture();
    }

    @Override
    protected void listen(StatefulRedisPubSubConnection<String, byte[]> connection,
                          RedisPubSubAdapter<String, byte[]> listener) {
        connection.addListener(listener);
    }

    @Override
    protected CompletableFuture<Long> publishOn(StatefulRedisConnection<String, byte[]> connection, String channel, byte[] message) {
        return connection.async().publish(channel, message).toCompletableFuture();
    }

    @Override
    public byte[] publishCommand() {
        return PUBLISH;
    }
}
