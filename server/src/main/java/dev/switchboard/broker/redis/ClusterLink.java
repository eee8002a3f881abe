package dev.switchboard.broker.redis;

import dev.switchboard.core.Clock;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * A {@link Link} to a Redis Cluster, through Lettuce's cluster client: commands go to the master of
 * their first key's slot (Lettuce follows MOVED and ASK, and refreshes the topology periodically and
 * when a redirect or a reconnect suggests it changed — {@link Shards} sets that up). Channels are
 * sharded ({@code SSUBSCRIBE}/{@code SPUBLISH}): each user's channel lives on its slot's master.
 *
 * <p>What this class adds to Lettuce, and why: Lettuce (7.7) resubscribes a node connection's
 * sharded channels in one {@code SSUBSCRIBE}, which a Redis Cluster refuses when they hash to
 * several slots ({@code CROSSSLOT}), and does not move them to a promoted replica (lettuce#3213).
 * So when the topology changes (a failover, a resharding) or a subscription connection to a cluster
 * node drops, this link drops the whole subscription connection and subscribes every channel again,
 * one {@code SSUBSCRIBE} each, through a new one — which Lettuce routes to the current masters; the
 * broker then checks its users for what they missed meanwhile (as after any outage). A channel
 * whose master cannot be reached yet is retried every {@link #tick}, without holding up the others.
 * Scripts are loaded on every cluster node that is not failed (replicas too, so a promoted replica
 * has them), and again after each topology change. Thread-safe; no method blocks but {@link #close}.
 */
final class ClusterLink extends ProbedLink<StatefulRedisClusterConnection<String, byte[]>,
        StatefulRedisClusterPubSubConnection<String, byte[]>> {
    private static final Logger log = LoggerFactory.getLogger(ClusterLink.class);
    private static final byte[] SPUBLISH = "SPUBLISH".getBytes(StandardCharsets.US_ASCII);

    private final RedisClusterClient client;
    private final String where;
    /** Channels whose subscription failed when the connection was made: retried every tick. */
    private final Set<String> retry = ConcurrentHashMap.newKeySet();
    /** A subscription connection to some cluster node dropped: subscribe everything again. */
    private volatile boolean dropped;
    /** The slot owners as last seen; touched by {@link #tick} only. */
    private String topology;

    ClusterLink(RedisClusterClient client, String where, Clock clock, String probeChannel, Handler handler) {
        super(clock, probeChannel, handler);
        this.client = client;
        this.where = where;
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                // A node connection of the subscription (Lettuce makes one per cluster node it routes to).
                if (connection instanceof StatefulRedisPubSubConnection && !connection.isClosed() && !closed) {
                    dropped = true;
                    subscriptionsFailed();
                }
            }
        });
    }

    @Override
    protected String where() {
        return where;
    }

    @Override
    protected CompletableFuture<StatefulRedisClusterConnection<String, byte[]>> connectCommands() {
        // Lettuce connects asynchronously only with a topology: read it first (again after an outage).
        return client.refreshPartitionsAsync().toCompletableFuture().thenCompose(read -> client.connectAsync(CODEC));
    }

    @Override
    protected CompletableFuture<StatefulRedisClusterPubSubConnection<String, byte[]>> connectSubscriptions() {
        return client.connectPubSubAsync(CODEC);
    }

    @Override
    protected RedisClusterAsyncCommands<String, byte[]> commandsOf(StatefulRedisClusterConnection<String, byte[]> c) {
        return c.async();
    }

    /**
     * Loads the scripts on every node that has not failed, through the node connections Lettuce
     * routes commands on (by host and port) — which also opens them: with commands rejected while
     * disconnected, Lettuce rejects a command whose node connection is still being opened.
     */
    @Override
    protected CompletableFuture<Void> loadScripts(StatefulRedisClusterConnection<String, byte[]> connection) {
        return onEveryNode(connection.getPartitions(), (host, port) -> connection.getConnectionAsync(host, port)
                .thenCompose(c -> RedisScripts.loadAll(c.async())));
    }

    /** Runs {@code action} for the host and port of every cluster node that has not failed; completes when all did. */
    private static CompletableFuture<Void> onEveryNode(Partitions partitions,
                                                       BiFunction<String, Integer, CompletableFuture<?>> action) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (RedisClusterNode node : partitions) {
            if (!node.is(RedisClusterNode.NodeFlag.FAIL)) {
                all.add(action.apply(node.getUri().getHost(), node.getUri().getPort()));
            }
        }
        return all.isEmpty() ? RedisErrors.unreachable() : CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }

    @Override
    protected CompletableFuture<Void> subscribeAll(StatefulRedisClusterPubSubConnection<String, byte[]> connection,
                                                   String[] all) {
        CompletableFuture<?>[] each = new CompletableFuture<?>[all.length];
        for (int i = 0; i < all.length; i++) {
            each[i] = connection.async().ssubscribe(all[i]).toCompletableFuture();
        }
        return CompletableFuture.allOf(each);
    }

    /**
     * Opens the connection's node connections first (a sharded subscription goes to its slot's master
     * and would be rejected while that is being opened), then subscribes each channel on its own.
     */
    @Override
    protected CompletableFuture<Void> subscribeOnConnect(StatefulRedisClusterPubSubConnection<String, byte[]> connection,
                                                         String[] all) {
        return onEveryNode(connection.getPartitions(), connection::getConnectionAsync)
                .handle((opened, error) -> null).thenCompose(opened -> subscribeEach(connection, all));
    }

    private CompletableFuture<Void> subscribeEach(StatefulRedisClusterPubSubConnection<String, byte[]> connection,
                                                  String[] all) {
        CompletableFuture<?>[] each = new CompletableFuture<?>[all.length];
        for (int i = 0; i < all.length; i++) {
            String channel = all[i];
            each[i] = connection.async().ssubscribe(channel).toCompletableFuture().exceptionally(error -> {
                retry.add(channel);
                return null;
            });
        }
        return CompletableFuture.allOf(each).thenRun(() -> {
            if (!retry.isEmpty()) {
                subscriptionsFailed();
                log.warn("{} channels could not be subscribed on the Redis Cluster yet (a master unreachable?);"
                        + " retrying every second", retry.size());
            }
        });
    }

    @Override
    protected CompletableFuture<Void> unsubscribeOne(StatefulRedisClusterPubSubConnection<String, byte[]> connection,
                                                     String channel) {
        retry.remove(channel);
        return connection.async().sunsubscribe(channel).toCompletableFuture();
    }

    @Override
    protected void listen(StatefulRedisClusterPubSubConnection<String, byte[]> connection,
                          RedisPubSubAdapter<String, byte[]> listener) {
        connection.addListener(listener);
    }

    @Override
    protected void check(StatefulRedisClusterConnection<String, byte[]> commandConnection,
                         StatefulRedisClusterPubSubConnection<String, byte[]> subscriptionConnection) {
        String now = topology(commandConnection.getPartitions());
        boolean moved = topology != null && !topology.equals(now);
        topology = now;
        if (moved || dropped) {
            log.warn("the Redis Cluster's {}; subscribing every channel again", moved ? "slots moved" : "node dropped");
            if (dropped) {
                client.refreshPartitionsAsync();
            }
            dropped = false;
            retry.clear();
            if (moved) {
                scriptsLost();
            }
            resubscribeAll(subscriptionConnection);
            return;
        }
        for (String channel : retry) {
            if (!channels.contains(channel)) {
                retry.remove(channel);
                continue;
            }
            subscriptionConnection.async().ssubscribe(channel).thenRun(() -> {
                if (retry.remove(channel)) {
                    subscriptionsFailed(); // what it missed meanwhile is checked after the next probe
                }
            });
        }
    }

    /** The masters and their slots, and which nodes failed: changes with a failover or a resharding. */
    private static String topology(Partitions partitions) {
        TreeMap<String, String> nodes = new TreeMap<>();
        for (RedisClusterNode node : partitions) {
            nodes.put(node.getNodeId(), (node.is(RedisClusterNode.NodeFlag.UPSTREAM) ? "M" : "R")
                    + (node.is(RedisClusterNode.NodeFlag.FAIL) ? "F" : "") + node.getSlots().hashCode());
        }
        return nodes.toString();
    }

    @Override
    protected CompletableFuture<Long> publishOn(StatefulRedisClusterConnection<String, byte[]> connection, String channel, byte[] message) {
        return connection.async().spublish(channel, message).toCompletableFuture();
    }

    @Override
    public byte[] publishCommand() {
        return SPUBLISH;
    }
}
