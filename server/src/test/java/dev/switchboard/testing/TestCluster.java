package dev.switchboard.testing;

import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;

import java.util.ArrayList;
import java.util.List;

/**
 * Several whole servers in this JVM, each with its own registry, joined through one real Redis:
 * a cluster as a load balancer would spread clients over it.
 */
public final class TestCluster implements AutoCloseable {
    private final RedisProcess redis;
    private final List<SwitchboardServer> nodes = new ArrayList<>();
    private ServerConfig config;

    private TestCluster(RedisProcess redis) {
        this.redis = redis;
    }

    /** Starts a Redis and {@code count} nodes configured as {@code config} with {@code --redis} on it. */
    public static TestCluster start(int count, ServerConfig config) throws Exception {
        TestCluster cluster = new TestCluster(RedisProcess.start());
        try {
            ServerConfig joined = config.toBuilder().redis(cluster.redis.uri()).build();
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

    public RedisProcess redis() {
        return redis;
    }

    @Override
    public void close() throws Exception {
        nodes.forEach(SwitchboardServer::close);
        redis.close();
    }
}
