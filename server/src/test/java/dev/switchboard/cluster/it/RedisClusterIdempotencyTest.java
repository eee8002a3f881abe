package dev.switchboard.cluster.it;

import dev.switchboard.testing.IdempotencyContract;
import dev.switchboard.testing.RedisClusterProcess;
import dev.switchboard.testing.TestCluster;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Idempotent publish on a Redis Cluster: the key lives in the addressee's slot and is checked inside
 * the publish script, so a retry through another node is caught; the same key for another
 * addressee is another send (its slot has no such key).
 */
class RedisClusterIdempotencyTest extends IdempotencyContract {
    private static final String API_KEY = "cluster-idempotency-api-key";
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        RedisClusterProcess redis = RedisClusterProcess.start();
        cluster = TestCluster.start(2, TestServers.config().toBuilder().apiKey(API_KEY).build(), redis, redis.uri());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Override
    protected int port() {
        return cluster.node(0).port();
    }

    @Override
    protected int otherPort() {
        return cluster.node(1).port();
    }

    @Override
    protected String apiKey() {
        return API_KEY;
    }

    @Override
    protected boolean keysAreGlobal() {
        return false;
    }
}
