package dev.switchboard.broker;

import dev.switchboard.broker.redis.RedisBroker;
import dev.switchboard.core.Clock;
import dev.switchboard.core.NodeIds;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/** The broker contract against a cluster node's broker on a real Redis. */
class RedisBrokerTest extends BrokerContract {
    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected Broker newBroker() {
        return new RedisBroker(redis.uri(), NodeIds.random(), Clock.SYSTEM, new ManualScheduler(), 1000,
                Duration.ofMinutes(5), Duration.ofMillis(500));
    }
}
