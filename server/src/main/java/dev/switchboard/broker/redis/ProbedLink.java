package dev.switchboard.broker.redis;

import dev.switchboard.core.Clock;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every {@link Link} does the same way, whatever it connects to: it connects the command
 * connection (and loads the scripts) then the subscription connection, subscribes to every channel
 * it holds, and keeps both healthy. Lettuce reconnects a dropped connection (after 0.1–1 s); this
 * class adds what Lettuce cannot see: a connection that is open but silent (a half-open TCP
 * connection after a failover or a network partition). Every {@link #tick} the node publishes a
 * probe to its own channel through the command connection; if no probe came back through the
 * subscription for {@link #PROBE_TIMEOUT}, both connections are replaced. Until Redis answers at
 * start, {@link #tick} keeps trying. After the subscriptions failed, the first probe that comes back
 * tells the {@link Handler} ({@link Handler#onResubscribed}).
 *
 * @param <C> the command connection's type
 * @param <P> the subscription connection's type
 */
abstract class ProbedLink<C extends StatefulConnection<String, byte[]>, P extends StatefulRedisPubSubConnection<String, byte[]>>
        implements Link {
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final Logger log = LoggerFactory.getLogger(ProbedLink.class);

    protected final Clock clock;
    private final Handler handler;
    protected final String probeChannel;
    /** Every channel this link is subscribed to, or must be: kept across reconnects. */
    protected final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean connecting = new AtomicBoolean();
    protected volatile C commands;
    protected volatile P pubsub;
    private volatile long lastProbeSeen;
    private volatile long subscribedSince;
    private volatile boolean missedSomething;
    protected volatile boolean closed;
    /** Whether Redis has the scripts cached (loaded since the command connection last connected). */
    private volatile boolean scriptsCached;
    private long probes;
    private long failedConnects;

    ProbedLink(Clock clock, String probeChannel, Handler handler) {
        this.clock = clock;
        this.handler = handler;
        this.probeChannel = probeChannel;
        channels.add(probeChannel);
    }

    /** Where this link connects, for the log (no password). */
    protected abstract String where();

    protected abstract CompletableFuture<C> connectCommands();

    protected abstract CompletableFuture<P> connectSubscriptions();

    /** The command interface of {@code connection}. */
    protected abstract RedisClusterAsyncCommands<String, byte[]> commandsOf(C connection);

    /** Loads the scripts wherever this link's commands may run. */
    protected abstract CompletableFuture<Void> loadScripts(C connection);

    /** Subscribes {@code connection} to {@code channels}; completes when every subscription is made. */
    protected abstract CompletableFuture<Void> subscribeAll(P connection, String[] channels);

    /**
     * Subscribes a fresh subscription connection to every channel this link holds; a failure makes
     * the connection unusable. A link whose channels live on several servers overrides this to keep
     * the connection when only some of them failed, and retries those.
     */
    protected CompletableFuture<Void> subscribeOnConnect(P connection, String[] channels) {
        return subscribeAll(connection, channels);
    }

    protected abstract CompletableFuture<Void> unsubscribeOne(P connection, String channel);

    /** Publishes on {@code channel} through the command connection {@code connection}. */
    protected abstract CompletableFuture<Long> publishOn(C connection, String channel, byte[] message);

    /** Adds this link's message listener to a fresh subscription connection. */
    protected abstract void listen(P connection, RedisPubSubAdapter<String, byte[]> listener);

    /** Called by {@link #tick} with both connections up, before the probe. */
    protected void check(C commandConnection, P subscriptionConnection) {
    }

    @Override
    public CompletableFuture<Void> connect() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        C current = commands;
        CompletableFuture<C> cmd = current != null ? CompletableFuture.completedFuture(current) : connectCommands()
                .thenCompose(this::scriptsLoaded);
        cmd.thenCompose(c -> {
            commands = c;
            return pubsub != null ? CompletableFuture.completedFuture(pubsub)
                    : connectSubscriptions().thenCompose(this::adopt);
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
    private CompletableFuture<C> scriptsLoaded(C connection) {
        return loadScripts(connection).handle((ok, error) -> {
            if (error != null) {
                connection.closeAsync();
                throw new CompletionException(error);
            }
            scriptsCached = true;
            return connection;
        });
    }

    @Override
    public boolean scriptsCached() {
        return scriptsCached;
    }

    @Override
    public void scriptsLost() {
        scriptsCached = false;
        C c = commands;
        if (c != null) {
            loadScripts(c).thenRun(() -> scriptsCached = true);
        }
    }

    private CompletableFuture<P> adopt(P connection) {
        listen(connection, new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                received(channel, message);
            }

            @Override
            public void smessage(String channel, byte[] message) {
                received(channel, message);
            }
        });
        return subscribeOnConnect(connection, channels.toArray(new String[0])).handle((ok, error) -> {
            if (error != null) {
                connection.closeAsync();
                throw new CompletionException(error);
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

    private void received(String channel, byte[] message) {
        if (channel.equals(probeChannel) && message.length > 0 && message[0] == ClusterWire.PROBE) {
            lastProbeSeen = clock.currentTimeMillis();
            if (missedSomething) {
                missedSomething = false;
                handler.onResubscribed();
            }
            return;
        }
        handler.onMessage(channel, message);
    }

    /** The subscriptions failed (a connection dropped): what arrives meanwhile is lost until they are back. */
    protected void subscriptionsFailed() {
        missedSomething = true;
    }

    /** The subscription connection (re)connected at this moment. */
    protected void subscriptionConnected() {
        subscribedSince = clock.currentTimeMillis();
    }

    /** Drops the subscription connection; the next {@link #tick} makes a new one with every channel. */
    protected void resubscribeAll(P current) {
        missedSomething = true;
        pubsub = null;
        current.closeAsync();
    }

    @Override
    public void tick() {
        if (closed) {
            return;
        }
        C c = commands;
        P p = pubsub;
        if (c == null || p == null) {
            long attempt = ++failedConnects;
            connect().exceptionally(error -> {
                // The first failure, then one line every 30 attempts (about 30 s): an outage must not flood the log.
                if (attempt % 30 == 1) {
                    log.warn("Redis at {} is unreachable ({}); retrying every second", where(),
                            RedisErrors.reason(error));
                }
                return null;
            });
            return;
        }
        failedConnects = 0;
        long now = clock.currentTimeMillis();
        if (p.isOpen() && now - lastProbeSeen > PROBE_TIMEOUT.toMillis()
                && now - subscribedSince > PROBE_TIMEOUT.toMillis()) {
            log.warn("no probe came back through Redis at {} for {} ms; replacing both connections", where(),
                    now - lastProbeSeen);
            missedSomething = true;
            pubsub = null;
            commands = null;
            p.closeAsync();
            c.closeAsync();
            connect();
            return;
        }
        check(c, p);
        if (c.isOpen() && pubsub == p) {
            publish(probeChannel, ClusterWire.probe(++probes));
        }
    }

    @Override
    public boolean ready() {
        C c = commands;
        P p = pubsub;
        return !closed && c != null && c.isOpen() && p != null && p.isOpen()
                && clock.currentTimeMillis() - lastProbeSeen <= PROBE_TIMEOUT.toMillis();
    }

    @Override
    public CompletableFuture<Long> publish(String channel, byte[] message) {
        C c = commands;
        return c == null ? RedisErrors.unreachable() : publishOn(c, channel, message);
    }

    @Override
    public boolean dispatch(List<RedisCommand<String, byte[], ?>> batch) {
        C c = commands;
        if (c == null || closed) {
            return false;
        }
        c.dispatch(batch);
        return true;
    }

    @Override
    public RedisClusterAsyncCommands<String, byte[]> redis() {
        C c = commands;
        return c == null ? null : commandsOf(c);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        channels.add(channel);
        P p = pubsub;
        if (p == null) {
            return RedisErrors.unreachable();
        }
        return subscribeAll(p, new String[] {channel});
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        channels.remove(channel);
        P p = pubsub;
        if (p == null) {
            return CompletableFuture.completedFuture(null);
        }
        return unsubscribeOne(p, channel);
    }

    @Override
    public void close() {
        closed = true;
        P p = pubsub;
        C c = commands;
        if (p != null) {
            p.close();
        }
        if (c != null) {
            c.close();
        }
    }
}
