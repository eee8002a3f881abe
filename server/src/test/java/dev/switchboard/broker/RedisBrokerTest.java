package dev.switchboard.broker;

import dev.switchboard.broker.redis.RedisBroker;
import dev.switchboard.core.Clock;
import dev.switchboard.core.NodeIds;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker contract against a cluster node's broker on a real Redis. */
class RedisBrokerTest extends BrokerContract<RedisBroker> {
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
    protected PresenceStore presenceOf(RedisBroker backend) {
        return backend.presence();
    }

    @Override
    protected RedisBroker newBroker() {
        return new RedisBroker(redis.uri(), NodeIds.random(), Clock.SYSTEM, new ManualScheduler(), 1000,
                Duration.ofMinutes(5), Duration.ofMillis(500));
    }

    /** How many connections Redis has subscribed to the user's channel. */
    private static String subscribers(String user) throws Exception {
        String reply = redis.command("PUBSUB", "NUMSUB", "sb:{" + user + "}:c");
        return reply.substring(reply.lastIndexOf(':') + 1).trim();
    }

    @Test
    void theNodeIsSubscribedToAUserOnlyWhileItHoldsAConnection() throws Exception {
        String bob = user("bob");
        assertThat(subscribers(bob)).isEqualTo("0");
        get(broker.subscribe(bob));
        get(broker.subscribe(bob));
        assertThat(subscribers(bob)).as("one subscription however many connections").isEqualTo("1");

        get(broker.unsubscribe(bob));
        assertThat(subscribers(bob)).as("still one connection").isEqualTo("1");
        get(broker.unsubscribe(bob));
        assertThat(subscribers(bob)).as("the last one left").isEqualTo("0");
    }

    @Test
    void aLatePresenceReportCannotOverwriteANewerOne() throws Exception {
        RedisBroker other = newBroker();
        try {
            get(other.start(new RecordingListener()));
            String bob = user("bob");
            get(presence.presence(bob, 2, 5));
            get(presence.presence(bob, 1, 3)); // taken before the other, recorded after it
            assertThat(get(other.presence().connections(bob, 0))).isEqualTo(2);

            get(presence.presence(bob, 0, 7));
            get(presence.presence(bob, 1, 6)); // a stale count must not bring back a connection that left
            assertThat(get(other.presence().connections(bob, 0))).isZero();
        } finally {
            other.close();
        }
    }

    @Test
    void aFailedSubscribeIsRolledBack() throws Exception {
        try (RedisProcess own = RedisProcess.start()) {
            Broker node = new RedisBroker(own.uri(), NodeIds.random(), Clock.SYSTEM, new ManualScheduler(), 10,
                    Duration.ofMinutes(1), Duration.ofMillis(500));
            try {
                get(node.start(new RecordingListener()));
                own.kill();
                assertThat(node.subscribe("bob")).failsWithin(Duration.ofSeconds(10));
                own.restart();

                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .until(() -> node.subscribe("bob").get(1, java.util.concurrent.TimeUnit.SECONDS) == null);
                get(node.unsubscribe("bob"));

                String reply = own.command("PUBSUB", "NUMSUB", "sb:{bob}:c");
                assertThat(reply.substring(reply.lastIndexOf(':') + 1).trim())
                        .as("the failed subscribe left no count behind").isEqualTo("0");
            } finally {
                node.close();
            }
        }
    }
}
