package dev.switchboard.cluster.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Closer;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.RedisClusterProcess;
import dev.switchboard.testing.RedisProcess;
import dev.switchboard.testing.TestCluster;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis Cluster master dies: its replica is promoted (after {@code cluster-node-timeout}, 1 s in
 * tests), Lettuce's topology refresh finds it, and the nodes move their sharded subscriptions there
 * — without being restarted. Every send meanwhile is answered (an error or an ack), and delivery to
 * the users of the dead master's slots is back within 15 s.
 */
class RedisClusterFailoverTest {
    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }


    @Test
    void aKilledMasterIsReplacedByItsReplicaAndDeliveryComesBackWithin15Seconds() throws Exception {
        RedisClusterProcess redis = RedisClusterProcess.start();
        TestCluster cluster = closer.keep(TestCluster.start(2, TestServers.bulkConfig(), redis, redis.uri()));
        SwitchboardServer a = cluster.node(0);
        SwitchboardServer b = cluster.node(1);
        JdkWebSocketClient bob = closer.keep(JdkWebSocketClient.connect(b.port(), "bob"));
        V1Client bobV1 = closer.keep(V1Client.connect(b.port(), "bob"));
        JdkWebSocketClient sender = closer.keep(JdkWebSocketClient.connect(a.port(), null));
        sender.send(JdkWebSocketClient.plainSend("bob", "before"));
        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");
        assertThat(bob.next()).isEqualTo("before");
        V1Frame before = bobV1.next("message");
        redis.awaitReplicated();

        RedisProcess master = redis.masterOf("sb:{bob}:m");
        master.kill();

        int[] attempt = {0};
        String[] answer = new String[1];
        Eventually.within(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            long asked = System.nanoTime();
            sender.send(JdkWebSocketClient.plainSend("bob", "attempt " + ++attempt[0]));
            answer[0] = sender.next();
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("every send is answered, never held")
                    .isLessThan(Duration.ofSeconds(5));
            return answer[0].matches("\\{\"userId\":\"bob\",\"delivered\":[12]}");
        });
        String delivered = "attempt " + attempt[0];
        String got;
        do {
            got = bob.next(); // the plain connection stayed open and gets what was acknowledged to it
        } while (!got.equals(delivered));
        assertThat(redis.masterOf("sb:{bob}:m").port()).as("the replica was promoted").isNotEqualTo(master.port());

        // The v1 connection either received it too, or was told to resume (1012) and recovers it.
        V1Client reader = bobV1;
        if (!answer[0].endsWith("2}")) {
            assertThat(bobV1.socket().awaitClose().code()).isEqualTo(1012);
            reader = closer.keep(V1Client.resume(b.port(), "bob", before.number("seq"), bobV1.epoch()));
            assertThat(reader.welcome().bool("recovered")).isTrue();
        }
        String last;
        do {
            last = reader.nextPastPresence("message").text("message");
        } while (!last.equals(delivered));
        sender.send(JdkWebSocketClient.plainSend("bob", "after"));
        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");
        assertThat(reader.nextPastPresence("message").text("message")).isEqualTo("after");
    }
}
