package dev.switchboard.cluster.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Closer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.RedisProcess;
import dev.switchboard.testing.RedisShards;
import dev.switchboard.testing.TestCluster;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Failure isolation with client-side shards: one shard (not the home) dies. Only its users notice:
 * their sends are answered {@code unavailable} within 3 s and their handshakes 503, while every other
 * user's sends go on with exact counts and the nodes stay ready. When the shard comes back (empty:
 * no persistence), its users' v1 connections are told to resume (1012) and learn their stream was
 * reset ({@code recovered:false}); the others never see a thing.
 */
class ShardFailureTest {
    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }


    /** A user's two connections on node b: a plain one and a v1 one. */
    private record Bob(JdkWebSocketClient plain, V1Client v1) {
    }

    @Test
    void aDeadShardFailsOnlyItsOwnUsersFastAndTheyResumeWhenItReturns() throws Exception {
        RedisShards redis = RedisShards.start(3);
        TestCluster cluster = closer.keep(TestCluster.start(2, TestServers.bulkConfig(), redis, redis.uri()));
        SwitchboardServer a = cluster.node(0);
        SwitchboardServer b = cluster.node(1);
        RedisProcess dying = redis.shards().get(1);
        JdkWebSocketClient sender = closer.keep(JdkWebSocketClient.connect(a.port(), null));

        // Users on the dying shard, and users on the others (the home included), each connected twice on b.
        Map<String, Bob> victims = new LinkedHashMap<>();
        Map<String, Bob> others = new LinkedHashMap<>();
        String spare = null; // a user of the dying shard with no connection yet
        String spareOther = null; // and one of another shard
        for (int i = 0; victims.size() < 3 || others.size() < 6 || spare == null || spareOther == null; i++) {
            String user = "user-" + i;
            sender.send(JdkWebSocketClient.plainSend(user, "hello"));
            assertThat(sender.next()).isEqualTo("{\"userId\":\"" + user + "\",\"delivered\":0}");
            boolean onDying = redis.holding("sb:{" + user + "}:m") == dying;
            Map<String, Bob> group = onDying ? victims : others;
            if (group.size() < (onDying ? 3 : 6)) {
                group.put(user, new Bob(closer.keep(JdkWebSocketClient.connect(b.port(), user)),
                        closer.keep(V1Client.connect(b.port(), user))));
            } else if (onDying && spare == null) {
                spare = user;
            } else if (!onDying && spareOther == null) {
                spareOther = user;
            }
        }

        dying.kill();
        // A send racing the kill may already be on the wire when the connection drops: it may have run,
        // so it is answered internal_error (not "unavailable", which promises nothing was stored).
        long raced = System.nanoTime();
        sender.send(JdkWebSocketClient.plainSend(victims.keySet().iterator().next(), "racing the kill"));
        assertThat(sender.next()).matches(".*\"code\":\"(unavailable|internal_error)\".*");
        assertThat(Duration.ofNanos(System.nanoTime() - raced)).isLessThan(Duration.ofSeconds(3));

        for (int round = 0; round < 3; round++) {
            for (var victim : victims.entrySet()) {
                long asked = System.nanoTime();
                sender.send(JdkWebSocketClient.plainSend(victim.getKey(), "lost " + round));
                JsonErrors.assertError(sender.next(), "unavailable");
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("answered fast, never held")
                        .isLessThan(Duration.ofSeconds(3));
            }
            for (var other : others.entrySet()) {
                sender.send(JdkWebSocketClient.plainSend(other.getKey(), "kept " + round));
                assertThat(sender.next()).as("exact counts for everyone else")
                        .isEqualTo("{\"userId\":\"" + other.getKey() + "\",\"delivered\":2}");
                assertThat(other.getValue().plain().next()).isEqualTo("kept " + round);
                assertThat(other.getValue().v1().next("message").text("message")).isEqualTo("kept " + round);
            }
        }
        String newcomer = spare;
        assertThatThrownBy(() -> JdkWebSocketClient.connect(b.port(), newcomer))
                .as("its users cannot be subscribed to: 503").hasStackTraceContaining("503");
        closer.keep(JdkWebSocketClient.connect(b.port(), spareOther)).close();
        assertThat(Http.get(a.port(), "/health").statusCode()).as("the home is fine: the node stays ready")
                .isEqualTo(200);

        dying.restart(); // no persistence: its users' streams start again in a new epoch

        for (var entry : victims.entrySet()) {
            V1Client v1 = entry.getValue().v1();
            String epoch = v1.epoch();
            assertThat(v1.socket().awaitClose().code()).as("told to resume").isEqualTo(1012);
            V1Client back = closer.keep(V1Client.resume(b.port(), entry.getKey(), 1, epoch));
            assertThat(back.welcome().bool("recovered")).as("and told honestly that history is gone").isFalse();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                sender.send(JdkWebSocketClient.plainSend(entry.getKey(), "back"));
                assertThat(sender.next()).isEqualTo("{\"userId\":\"" + entry.getKey() + "\",\"delivered\":2}");
            });
            assertThat(entry.getValue().plain().next()).as("the plain connection stayed").isEqualTo("back");
            V1Frame message = back.nextPastPresence("message");
            assertThat(message.text("message")).isEqualTo("back");
        }
        for (Bob untouched : others.values()) {
            assertThat(untouched.v1().socket().isClosed()).as("no other user was disturbed").isFalse();
            untouched.v1().assertNothingMore();
        }
    }
}
