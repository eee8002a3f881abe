package dev.switchboard.cluster.it;

import dev.switchboard.server.ServerConfig;
import dev.switchboard.testing.IdempotencyContract;
import dev.switchboard.testing.TestCluster;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link IdempotencyContract} on two nodes of a cluster: first sends through one, retries through
 * the other. A subclass starts {@link #cluster} in its {@code @BeforeAll}, on the Redis it tests.
 */
abstract class TwoNodeIdempotency extends IdempotencyContract {
    static final String API_KEY = "cluster-idempotency-api-key";
    static TestCluster cluster;

    /** What both nodes run with, but {@code --redis}. */
    static ServerConfig config() {
        return TestServers.config().toBuilder().apiKey(API_KEY).build();
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
}
