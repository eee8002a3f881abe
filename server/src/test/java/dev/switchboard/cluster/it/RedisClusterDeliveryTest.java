package dev.switchboard.cluster.it;

import dev.switchboard.testing.RedisClusterProcess;
import dev.switchboard.testing.TestCluster;

/** {@link ClusterDeliveryTest}'s three nodes on a Redis Cluster of three masters and three replicas. */
class RedisClusterDeliveryTest extends ClusterDeliveryTest {
    @Override
    protected TestCluster startCluster() throws Exception {
        RedisClusterProcess redis = RedisClusterProcess.start();
        return TestCluster.start(3, config(), redis, redis.uri());
    }
}
