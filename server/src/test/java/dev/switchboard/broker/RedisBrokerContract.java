package dev.switchboard.broker;

import dev.switchboard.broker.redis.RedisBroker;
import dev.switchboard.core.Clock;
import dev.switchboard.core.Forwarded;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.IdempotencyKeyReusedException;
import dev.switchboard.core.Message;
import dev.switchboard.core.NodeIds;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What every form of the cluster broker keeps beyond the {@link BrokerContract}, run against one
 * Redis, client-side shards and a Redis Cluster by a subclass each: one subscription per user
 * however many connections, presence across nodes (newest report wins, a node that left stops
 * counting), and idempotent publish.
 */
public abstract class RedisBrokerContract extends BrokerContract<RedisBroker> {
    /** The heartbeat of every broker this test makes runs when the test runs it. */
    protected final ManualScheduler scheduler = new ManualScheduler();

    /** What {@code --redis} takes for the Redis under test. */
    protected abstract String redisUri();

    /** How many connections the Redis holding the user's channel has subscribed to it. */
    protected abstract int subscribers(String user) throws Exception;

    /**
     * Whether an idempotency key is global (one standalone Redis: the same key for another user is
     * refused) or the addressee's (shards and Redis Cluster: it is another send).
     */
    protected abstract boolean keysAreGlobal();

    @Override
    protected PresenceStore presenceOf(RedisBroker backend) {
        return backend.presence();
    }

    @Override
    protected RedisBroker newBroker() {
        return new RedisBroker(redisUri(), NodeIds.random(), Clock.SYSTEM, scheduler, 1000, Duration.ofMinutes(5),
                Duration.ofMillis(500));
    }

    /** Another node on the same Redis, started. */
    protected RedisBroker anotherNode() throws Exception {
        RedisBroker other = newBroker();
        get(other.start(new RecordingListener()));
        return other;
    }

    @Test
    void aRequestForwardedToTheNodeOfItsConnectionIsRunThereAndAnsweredHere() throws Exception {
        String otherId = NodeIds.random();
        RecordingListener there = new RecordingListener();
        there.forwardAnswer = new Forwarded(200, "{\"type\":\"pong\"}".getBytes(StandardCharsets.UTF_8));
        RedisBroker other = new RedisBroker(redisUri(), otherId, Clock.SYSTEM, scheduler, 1000, Duration.ofMinutes(5),
                Duration.ofMillis(500));
        try {
            get(other.start(there));
            Forwarded answer = get(broker.forward(otherId + "-7", "bob", "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"pong\"}");
            assertThat(there.forwarded).containsExactly(otherId + "-7/bob:{\"type\":\"ping\"}");

            there.forwardAnswer = Forwarded.notHeld();
            assertThat(get(broker.forward(otherId + "-8", "bob", new byte[0])).held()).isFalse();
        } finally {
            other.close();
        }
        // A node that left (or never was) holds nothing, once this node's view of the live nodes says
        // it is gone; an id that names no node cannot be forwarded.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            scheduler.runAll(); // this node renews its lease and reads the live nodes
            assertThat(get(broker.forward(otherId + "-9", "bob", new byte[0])).held()).isFalse();
        });
        assertThat(get(broker.forward(NodeIds.random() + "-1", "bob", new byte[0])).held()).isFalse();
        assertThat(get(broker.forward("nonodeprefix", "bob", new byte[0]))).isNull();
    }

    @Test
    void theNodeIsSubscribedToAUserOnlyWhileItHoldsAConnection() throws Exception {
        String bob = user("bob");
        assertThat(subscribers(bob)).isZero();
        get(broker.subscribe(bob));
        get(broker.subscribe(bob));
        assertThat(subscribers(bob)).as("one subscription however many connections").isEqualTo(1);

        get(broker.unsubscribe(bob));
        assertThat(subscribers(bob)).as("still one connection").isEqualTo(1);
        get(broker.unsubscribe(bob));
        assertThat(subscribers(bob)).as("the last one left").isZero();
    }

    @Test
    void aLatePresenceReportCannotOverwriteANewerOne() throws Exception {
        try (RedisBroker other = anotherNode()) {
            String bob = user("bob");
            get(presence.presence(bob, 2, 5));
            get(presence.presence(bob, 1, 3)); // taken before the other, recorded after it
            assertThat(get(other.presence().connections(bob, 0))).isEqualTo(2);

            get(presence.presence(bob, 0, 7));
            get(presence.presence(bob, 1, 6)); // a stale count must not bring back a connection that left
            assertThat(get(other.presence().connections(bob, 0))).isZero();
        }
    }

    @Test
    void aNodeThatLeftStopsCountingOnceTheOthersRenewTheirView() throws Exception {
        String bob = user("bob");
        RedisBroker other = anotherNode();
        get(other.presence().presence(bob, 3, 1));
        assertThat(get(presence.connections(bob, 1))).isEqualTo(4);

        other.close();
        scheduler.runAll(); // this node renews its lease and reads the live nodes
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            scheduler.runAll();
            assertThat(get(presence.connections(bob, 1))).as("only this node's own").isEqualTo(1);
        });
    }

    @Test
    void aRepeatedIdempotencyKeyIsAnsweredWithTheFirstResultAndPublishedOnce() throws Exception {
        String bob = user("bob");
        get(broker.subscribe(bob));
        IdempotencyKey key = new IdempotencyKey("u:alice", "k-1");
        PublishResult first = get(broker.publish(to(bob, "once"), key));
        PublishResult again = get(broker.publish(to(bob, "once"), key));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.seq()).isEqualTo(first.seq());
        assertThat(again.delivered()).isEqualTo(first.delivered()).isEqualTo(1);
        assertThat(listener.texts()).containsExactly("once");
        assertThatThrownBy(() -> get(broker.publish(to(bob, "another"), key)))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IdempotencyKeyReusedException.class);
    }

    @Test
    void theSameIdempotencyKeyForAnotherUserIsRefusedOnOneRedisAndAnotherSendElsewhere() throws Exception {
        IdempotencyKey key = new IdempotencyKey("u:alice", "k-2");
        get(broker.publish(new Publication(user("bob"), Message.ofString("x"), "alice"), key));
        var toCarol = broker.publish(new Publication(user("carol"), Message.ofString("x"), "alice"), key);
        if (keysAreGlobal()) {
            assertThatThrownBy(() -> get(toCarol)).hasCauseInstanceOf(IdempotencyKeyReusedException.class);
        } else {
            PublishResult sent = get(toCarol);
            assertThat(sent.duplicate()).as("the key lives in the addressee's slot").isFalse();
            assertThat(sent.seq()).isEqualTo(1);
        }
    }
}
