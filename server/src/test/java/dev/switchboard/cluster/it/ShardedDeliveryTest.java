package dev.switchboard.cluster.it;

import dev.switchboard.testing.RedisShards;
import dev.switchboard.testing.TestCluster;

/** {@link ClusterDeliveryTest}'s three nodes on three standalone Redis servers as client-side shards. */
class ShardedDeliveryTest extends ClusterDeliveryTest {
    @Override
    protected TestCluster startCluster() throws Exception {
        RedisShards redis = RedisShards.start(3);
        return TestCluster.start(3, config(), redis, redis.uri());
    }
}
