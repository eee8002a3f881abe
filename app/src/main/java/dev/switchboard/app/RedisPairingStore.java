package dev.switchboard.app;

import dev.switchboard.core.Clock;
import dev.switchboard.core.RedisAddress;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A cluster's pairing store, in Redis, on a connection of its own (Lettuce reconnects it; a first
 * connection that failed is retried on the next command). A code is {@code SET
 * sb:app:pair:<digest> <grant> PX <lifetime>} and is taken with {@code GETDEL}, which is atomic,
 * so a code works once across all nodes (Redis 6.2 or later); Redis's clock expires it. The device
 * key is {@code sb:app:device-key}, set by the first node ({@code SET NX}) and read by all. Every
 * command touches one key, so a Redis Cluster takes them as they are (through Lettuce's cluster
 * client); with client-side shards they go to the home, the first shard.
 *
 * <p>Bound: Redis forgets codes after their lifetime; on top of that each node issues at most
 * {@link #MAX_CODES_PER_LIFETIME} codes per lifetime, so Redis holds at most that many per node.
 * Commands fail at once while Redis is unreachable and after {@link #COMMAND_TIMEOUT}.
 * Thread-safe; no method blocks but {@link #close}.
 */
public final class RedisPairingStore implements PairingStore {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    public static final int MAX_CODES_PER_LIFETIME = MemoryPairingStore.MAX_PENDING_CODES;
    static final String CODE_PREFIX = "sb:app:pair:";
    static final String DEVICE_KEY = "sb:app:device-key";

    private final Clock clock;
    private final RedisAddress address;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final AtomicReference<CompletableFuture<StatefulConnection<String, String>>> connection =
            new AtomicReference<>();
    /** When each code issued here within the last lifetime expires, oldest first. */
    private final ArrayDeque<Long> issued = new ArrayDeque<>();
    private volatile boolean closed;

    /** @param redis what {@code --redis} takes: one Redis, client-side shards (the first is used), or a Redis Cluster */
    public RedisPairingStore(String redis, Clock clock) {
        this.clock = clock;
        this.address = RedisAddress.parse(redis);
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).keepAlive(true).build();
        if (address.kind() == RedisAddress.Kind.CLUSTER) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, address.uris().stream().map(RedisURI::create)
                    .toList());
            cluster.setOptions(ClusterClientOptions.builder().autoReconnect(true)
                    .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT)).socketOptions(socket).build());
            this.client = cluster;
        } else {
            RedisClient standalone = RedisClient.create(resources);
            standalone.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                    .socketOptions(socket)
                    .build());
            this.client = standalone;
        }
    }

    @Override
    public CompletableFuture<Boolean> put(String codeDigest, PairingGrant grant, Duration lifetime) {
        if (!admit(lifetime)) {
            return CompletableFuture.completedFuture(false);
        }
        String value = Base64.getEncoder().encodeToString(grant.toBytes());
        return commands().thenCompose(redis -> redis.set(CODE_PREFIX + codeDigest, value,
                SetArgs.Builder.px(lifetime.toMillis())).toCompletableFuture()).thenApply(ok -> true);
    }

    @Override
    public CompletableFuture<Optional<PairingGrant>> take(String codeDigest) {
        return commands().thenCompose(redis -> redis.getdel(CODE_PREFIX + codeDigest).toCompletableFuture())
                .thenApply(value -> value == null ? Optional.empty()
                        : Optional.of(PairingGrant.fromBytes(Base64.getDecoder().decode(value))));
    }

    @Override
    public CompletableFuture<byte[]> agreeOnDeviceKey(byte[] proposal) {
        String mine = Base64.getEncoder().encodeToString(proposal);
        return commands().thenCompose(redis -> redis.set(DEVICE_KEY, mine, SetArgs.Builder.nx()).toCompletableFuture()
                .thenCompose(ignored -> redis.get(DEVICE_KEY).toCompletableFuture()))
                .thenApply(stored -> {
                    byte[] key = stored == null ? null : Base64.getDecoder().decode(stored);
                    if (key == null || key.length != proposal.length) {
                        throw new IllegalStateException(DEVICE_KEY + " in Redis is not a key of "
                                + proposal.length + " bytes");
                    }
                    return key;
                });
    }

    /** Counts a code against this node's bound, forgetting codes whose lifetime has passed. */
    private synchronized boolean admit(Duration lifetime) {
        long now = clock.currentTimeMillis();
        while (!issued.isEmpty() && issued.peekFirst() <= now) {
            issued.pollFirst();
        }
        if (issued.size() >= MAX_CODES_PER_LIFETIME) {
            return false;
        }
        issued.addLast(now + lifetime.toMillis());
        return true;
    }

    /** The connection's commands; connects first if there is no connection or the last attempt failed. */
    private CompletableFuture<RedisClusterAsyncCommands<String, String>> commands() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("closed"));
        }
        CompletableFuture<StatefulConnection<String, String>> current = connection.get();
        if (current == null || current.isCompletedExceptionally()) {
            CompletableFuture<StatefulConnection<String, String>> fresh = new CompletableFuture<>();
            if (connection.compareAndSet(current, fresh)) {
                connect().whenComplete((made, error) -> {
                    if (error != null) {
                        fresh.completeExceptionally(error);
                    } else {
                        fresh.complete(made);
                    }
                });
            }
            current = connection.get();
        }
        return current.thenApply(RedisPairingStore::async);
    }

    /** A connection to the home: the one Redis, the first shard, or the Redis Cluster (after reading its topology). */
    private CompletableFuture<StatefulConnection<String, String>> connect() {
        if (client instanceof RedisClusterClient cluster) {
            return cluster.refreshPartitionsAsync().toCompletableFuture()
                    .thenCompose(read -> cluster.connectAsync(StringCodec.UTF8)).thenApply(c -> c);
        }
        RedisURI uri = RedisURI.create(address.home());
        uri.setClientName("switchboard:pairing");
        return ((RedisClient) client).connectAsync(StringCodec.UTF8, uri).toCompletableFuture().thenApply(c -> c);
    }

    private static RedisClusterAsyncCommands<String, String> async(StatefulConnection<String, String> connection) {
        return connection instanceof StatefulRedisClusterConnection<String, String> cluster ? cluster.async()
                : ((io.lettuce.core.api.StatefulRedisConnection<String, String>) connection).async();
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<StatefulConnection<String, String>> current = connection.get();
        if (current != null) {
            current.thenAccept(StatefulConnection::closeAsync);
        }
        client.shutdown(Duration.ZERO, COMMAND_TIMEOUT);
        resources.shutdown(0, COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
