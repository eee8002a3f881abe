package dev.switchboard.cluster.it;

import dev.switchboard.testing.RedisClusterProcess;
import dev.switchboard.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;

/**
 * Idempotent publish on a Redis Cluster: the key lives in the addressee's slot and is checked inside
 * the publish script, so a retry through another node is caught; the same key for another
 * addressee is another send (its slot has no such key).
 */
class RedisClusterIdempotencyTest extends TwoNodeIdempotency {
    @BeforeAll
    static void startRedisCluster() throws Exception {
        RedisClusterProcess redis = RedisClusterProcess.start();
        cluster = TestCluster.start(2, config(), redis, redis.uri());
    }

    @Override
    protected boolean keysAreGlobal() {
        return false;
    }
}
