package dev.switchboard.cluster.it;

import dev.switchboard.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;

/**
 * Idempotent publish across a cluster on one Redis: the key is checked inside the publish script,
 * so a retry through another node is caught as on one node.
 */
class ClusterIdempotencyTest extends TwoNodeIdempotency {
    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start(2, config());
    }
}
