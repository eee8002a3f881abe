package dev.switchboard.broker.redis;

import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.Clock;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A node's two connections to Redis — one for commands, one for its subscriptions — and their
 * health. Lettuce reconnects a dropped connection (after 0.1–1 s) and resubscribes; this class
 * adds what Lettuce cannot see: a connection that is open but silent (a half-open TCP connection
 * after a failover or a network partition). Every {@link #tick} the node publishes a probe to its
 * own channel through the command connection; if no probe came back through the subscription for
 * {@link #PROBE_TIMEOUT}, both connections are replaced. Until Redis answers at start,
 * {@link #tick} keeps trying.
 *
 * <p>Commands fail at once while Redis is unreachable (they are not queued) and after
 * {@link #COMMAND_TIMEOUT}. Thread-safe; no method blocks.
 */
final class RedisLink implements AutoCloseable {
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    /** What the link hands its owner. Called on Lettuce's threads; must not block. */
    interface Handler {
        void onMessage(String channel, byte[] message);

        /** Subscriptions work again after they had failed: messages may have been missed meanwhile. */
        void onResubscribed();
    }

    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final Clock clock;
    private final Handler handler;
    private final String probeChannel;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, byte[]> commands;
    private volatile StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private volatile long lastProbeSeen;
    private volatile long subscribedSince;
    private volatile boolean missedSomething;
    private volatile boolean closed;
    /** Whether Redis has the scripts cached (loaded since the command connection last connected). */
    private volatile boolean scriptsCached;
    private long probes;
    private long failedConnects;

    /** @param uri where Redis is; the connections are named after {@code probeChannel} in CLIENT LIST */
    RedisLink(RedisURI uri, Clock clock, String probeChannel, Handler handler) {
        uri.setClientName("switchboard:" + probeChannel);
        this.uri = uri;
        this.clock = clock;
        this.handler = handler;
        this.probeChannel = probeChannel;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2,
                        java.util.concurrent.TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).keepAlive(true).build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == pubsub && !closed) {
                    missedSomething = true;
                    log.warn("lost the Redis subscription connection; reconnecting");
                }
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (connection == pubsub) {
                    subscribedSince = clock.currentTimeMillis();
                }
                StatefulRedisConnection<String, byte[]> c = commands;
                if (connection == c) {
                    // A reconnect, maybe to a Redis that restarted with an empty script cache.
                    scriptsLost();
                }
            }
        });
        channels.add(probeChannel);
    }

    /** Connects both connections if they are not; completes when both are up and subscribed. */
    CompletableFuture<Void> connect() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<StatefulRedisConnection<String, byte[]>> cmd = commands != null
                ? CompletableFuture.completedFuture(commands)
                : client.connectAsync(CODEC, uri).toCompletableFuture();
        cmd.thenCompose(c -> c == commands ? CompletableFuture.completedFuture(c) : scriptsLoaded(c)).thenCompose(c -> {
            commands = c;
            return pubsub != null ? CompletableFuture.completedFuture(pubsub)
                    : client.connectPubSubAsync(CODEC, uri).toCompletableFuture().thenCompose(this::adopt);
        }).whenComplete((ignored, error) -> {
            connecting.set(false);
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /** A new command connection, once Redis has the scripts; closed if it could not load them. */
    private CompletableFuture<StatefulRedisConnection<String, byte[]>> scriptsLoaded(
            StatefulRedisConnection<String, byte[]> connection) {
        return RedisScripts.loadAll(connection.async()).handle((ok, error) -> {
            if (error != null) {
                connection.closeAsync();
                throw new java.util.concurrent.CompletionException(error);
            }
            scriptsCached = true;
            return connection;
        });
    }

    /** Whether scripts may run by their SHA-1 ({@link RedisScripts}). */
    boolean scriptsCached() {
        return scriptsCached;
    }

    /** Redis may have lost its script cache (a reconnect, a NOSCRIPT): send scripts as text until they are loaded again. */
    void scriptsLost() {
        scriptsCached = false;
        StatefulRedisConnection<String, byte[]> c = commands;
        if (c != null) {
            RedisScripts.loadAll(c.async()).thenRun(() -> scriptsCached = true);
        }
    }

    private CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> adopt(
            StatefulRedisPubSubConnection<String, byte[]> connection) {
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                if (channel.equals(probeChannel) && message.length > 0 && message[0] == ClusterWire.PROBE) {
                    probeSeen();
                    return;
                }
                handler.onMessage(channel, message);
            }
        });
        String[] all = channels.toArray(new String[0]);
        return connection.async().subscribe(all).toCompletableFuture().handle((ok, error) -> {
            if (error != null) {
                connection.closeAsync();
                throw new java.util.concurrent.CompletionException(error);
            }
            subscribedSince = clock.currentTimeMillis();
            lastProbeSeen = subscribedSince;
            pubsub = connection;
            if (closed) {
                connection.closeAsync();
            }
            return connection;
        });
    }

    private void probeSeen() {
        lastProbeSeen = clock.currentTimeMillis();
        if (missedSomething) {
            missedSomething = false;
            handler.onResubscribed();
        }
    }

    /**
     * Keeps the link healthy; call it about once a second: connects if not connected, sends a probe,
     * and replaces a subscription connection whose probes stopped coming back.
     */
    void tick() {
        if (closed) {
            return;
        }
        StatefulRedisConnection<String, byte[]> c = commands;
        StatefulRedisPubSubConnection<String, byte[]> p = pubsub;
        if (c == null || p == null) {
            long attempt = ++failedConnects;
            connect().exceptionally(error -> {
                // The first failure, then one line every 30 attempts (about 30 s): an outage must not flood the log.
                if (attempt % 30 == 1) {
                    log.warn("Redis at {} is unreachable ({}); retrying every second",
                            uri.toString().replaceAll("//[^@]*@", "//***@"), reason(error));
                }
                return null;
            });
            return;
        }
        failedConnects = 0;
        long now = clock.currentTimeMillis();
        if (p.isOpen() && now - lastProbeSeen > PROBE_TIMEOUT.toMillis()
                && now - subscribedSince > PROBE_TIMEOUT.toMillis()) {
            log.warn("no probe came back through Redis for {} ms; replacing both connections", now - lastProbeSeen);
            missedSomething = true;
            pubsub = null;
            commands = null;
            p.closeAsync();
            c.closeAsync();
            connect();
            return;
        }
        if (c.isOpen()) {
            c.async().publish(probeChannel, ClusterWire.probe(++probes));
        }
    }

    /** Whether commands reach Redis and the subscriptions carry messages, as of the last probe. */
    boolean ready() {
        StatefulRedisConnection<String, byte[]> c = commands;
        StatefulRedisPubSubConnection<String, byte[]> p = pubsub;
        return !closed && c != null && c.isOpen() && p != null && p.isOpen()
                && clock.currentTimeMillis() - lastProbeSeen <= PROBE_TIMEOUT.toMillis();
    }

    /** The command interface, or {@code null} before the first connection. */
    RedisAsyncCommands<String, byte[]> redis() {
        StatefulRedisConnection<String, byte[]> c = commands;
        return c == null ? null : c.async();
    }

    /** Subscribes to {@code channel} (kept across reconnects). */
    CompletableFuture<Void> subscribe(String channel) {
        channels.add(channel);
        StatefulRedisPubSubConnection<String, byte[]> p = pubsub;
        if (p == null) {
            return unreachable();
        }
        return p.async().subscribe(channel).toCompletableFuture();
    }

    /** Unsubscribes from {@code channel}. */
    CompletableFuture<Void> unsubscribe(String channel) {
        channels.remove(channel);
        StatefulRedisPubSubConnection<String, byte[]> p = pubsub;
        if (p == null) {
            return CompletableFuture.completedFuture(null);
        }
        return p.async().unsubscribe(channel).toCompletableFuture();
    }

    /**
     * Why a connection failed, in Redis's words where it gave some: Lettuce's "Unable to connect"
     * hides the reason (a wrong password's WRONGPASS, say) in its cause.
     */
    static String reason(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = String.valueOf(error.getMessage());
        return root == error ? top : top + ": " + root.getMessage();
    }

    /** A request refused because this node has no connection to Redis: nothing was sent. */
    static <T> CompletableFuture<T> unreachable() {
        return CompletableFuture.failedFuture(new BrokerUnavailableException("not connected to Redis"));
    }

    /**
     * Lettuce's failure as the broker reports it: a command it rejected without sending (the
     * connection is down), or one Redis refused before running it (out of memory), becomes a
     * {@link BrokerUnavailableException}; anything else, which may have taken effect, stays as it is.
     */
    static Throwable translate(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause.getClass() == io.lettuce.core.RedisException.class
                && String.valueOf(cause.getMessage()).startsWith("Currently not connected")) {
            return new BrokerUnavailableException("not connected to Redis");
        }
        if (cause instanceof io.lettuce.core.RedisCommandExecutionException
                && String.valueOf(cause.getMessage()).startsWith("OOM")) {
            // Redis refuses a script that may write before running any of it when past maxmemory.
            return new BrokerUnavailableException("Redis is out of memory (maxmemory, noeviction); nothing was stored", true);
        }
        return cause;
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisPubSubConnection<String, byte[]> p = pubsub;
        StatefulRedisConnection<String, byte[]> c = commands;
        if (p != null) {
            p.close();
        }
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
