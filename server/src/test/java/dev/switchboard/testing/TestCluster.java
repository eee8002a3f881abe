package dev.switchboard.testing;

import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;

import java.util.ArrayList;
import java.util.List;

/**
 * Several whole servers in this JVM, each with its own registry, joined through real Redis — one
 * Redis, client-side shards ({@link RedisShards}) or a Redis Cluster ({@link RedisClusterProcess}):
 * a cluster as a load balancer would spread clients over it.
 */
public final class TestCluster implements AutoCloseable {
    private final AutoCloseable store;
    private final String uri;
    private final List<SwitchboardServer> nodes = new ArrayList<>();
    private ServerConfig config;

    private TestCluster(AutoCloseable store, String uri) {
        this.store = store;
        this.uri = uri;
    }

    /** Starts a Redis and {@code count} nodes configured as {@code config} with {@code --redis} on it. */
    public static TestCluster start(int count, ServerConfig config) throws Exception {
        RedisProcess redis = RedisProcess.start();
        return start(count, config, redis, redis.uri());
    }

    /**
     * Starts {@code count} nodes configured as {@code config} with {@code --redis uri}, on {@code store}
     * (which the cluster closes).
     */
    public static TestCluster start(int count, ServerConfig config, AutoCloseable store, String uri) throws Exception {
        TestCluster cluster = new TestCluster(store, uri);
        try {
            ServerConfig joined = config.toBuilder().redis(uri).build();
            cluster.config = joined;
            for (int i = 0; i < count; i++) {
                cluster.nodes.add(TestServers.start(joined));
            }
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    public SwitchboardServer node(int index) {
        return nodes.get(index);
    }

    public List<SwitchboardServer> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * A rolling restart's step: stops node {@code index} as SIGTERM does (its connections get 1001)
     * and starts a fresh node in its place, on a new port, joined to the same Redis.
     */
    public SwitchboardServer restart(int index) throws Exception {
        SwitchboardServer old = nodes.get(index);
        old.close();
        SwitchboardServer fresh = TestServers.start(config);
        nodes.set(index, fresh);
        return fresh;
    }

    /** The one Redis, when the cluster runs on one. */
    public RedisProcess redis() {
        return (RedisProcess) store;
    }

    /** What the nodes were given as {@code --redis}. */
    public String redisUri() {
        return uri;
    }

    @Override
    public void close() throws Exception {
        nodes.forEach(SwitchboardServer::close);
        store.close();
    }
}
