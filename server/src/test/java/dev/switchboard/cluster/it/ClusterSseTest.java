package dev.switchboard.cluster.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Closer;
import dev.switchboard.testing.SseClient;
import dev.switchboard.testing.TestCluster;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.testing.Http;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * v1 over SSE across three nodes on one Redis: an SSE connection is counted and reached from every
 * node like a WebSocket one, resumes on another node, and a POST that reaches another node than
 * its stream's is forwarded there.
 */
class ClusterSseTest {
    private static TestCluster cluster;
    private static SwitchboardServer a;
    private static SwitchboardServer b;
    private static SwitchboardServer c;
    private final Closer clients = new Closer();
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start(3, TestServers.bulkConfig());
        a = cluster.node(0);
        b = cluster.node(1);
        c = cluster.node(2);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        clients.close();
    }

    @Test
    void anSseConnectionIsCountedAndReachedFromEveryNode() throws Exception {
        String bob = "bob-" + run;
        SseClient onB = clients.keep(SseClient.open(b.port(), "userId=" + bob));
        V1Frame welcome = onB.welcome();
        V1Client onC = clients.keep(V1Client.connect(c.port(), bob));
        onC.welcome();
        V1Client alice = clients.keep(V1Client.connect(a.port(), "alice-" + run));
        alice.welcome();

        alice.send("s1", bob, "\"from A\"");

        V1Frame ack = alice.next("ack");
        assertThat(ack.number("delivered")).isEqualTo(2);
        eventually().until(() -> onB.events("message").size() == 1);
        SseClient.Event message = onB.events("message").get(0);
        assertThat(message.id()).isEqualTo(welcome.text("epoch") + ":" + ack.number("seq"));
        assertThat(message.data().raw("message")).isEqualTo("\"from A\"");
        assertThat(onC.next("message").raw("message")).isEqualTo("\"from A\"");

        HttpResponse<String> presence = onB.post("{\"type\":\"presence\",\"id\":\"p\",\"user\":\"" + bob + "\"}");
        assertThat(SseClient.json(presence).number("connections")).isEqualTo(2);
    }

    private static HttpResponse<String> post(SwitchboardServer node, String connectionId, String user, String body)
            throws Exception {
        return Http.request(node.port(), "POST", "/sse/" + connectionId + "?userId=" + user, Map.of(), body);
    }

    @Test
    void aPostThatReachesAnotherNodeIsForwardedToTheNodeOfItsStream() throws Exception {
        String erin = "erin-" + run;
        String frank = "frank-" + run;
        SseClient onB = clients.keep(SseClient.open(b.port(), "userId=" + erin));
        String connectionId = onB.welcome().text("connectionId");
        V1Client frankOnC = clients.keep(V1Client.connect(c.port(), frank));
        frankOnC.welcome();

        // Sent to A and C, run on B: the same answers as there, with the stream's own position.
        HttpResponse<String> pong = post(a, connectionId, erin, "{\"type\":\"ping\",\"id\":\"p1\"}");
        assertThat(pong.statusCode()).isEqualTo(200);
        assertThat(SseClient.json(pong).text("type")).isEqualTo("pong");
        assertThat(SseClient.json(pong).text("id")).isEqualTo("p1");
        HttpResponse<String> sent = post(c, connectionId, erin,
                "{\"type\":\"send\",\"id\":\"s1\",\"to\":\"" + frank + "\",\"message\":\"via C\"}");
        assertThat(sent.statusCode()).isEqualTo(200);
        V1Frame ack = SseClient.json(sent);
        assertThat(ack.text("type")).isEqualTo("ack");
        assertThat(ack.number("delivered")).isEqualTo(1);
        V1Frame message = frankOnC.next("message");
        assertThat(message.raw("message")).isEqualTo("\"via C\"");
        assertThat(message.text("from")).isEqualTo(erin);
        HttpResponse<String> refused = post(a, connectionId, erin, "{\"type\":\"send\",\"id\":\"s2\"}");
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(SseClient.json(refused).text("type")).isEqualTo("error");

        // The identity is the stream's on every node; a node that is gone holds nothing.
        HttpResponse<String> forbidden = post(a, connectionId, frank, "{\"type\":\"ping\",\"id\":\"p2\"}");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(SseClient.json(forbidden).text("code")).isEqualTo("forbidden");
        HttpResponse<String> gone = post(a, "gone" + run + "-1", erin, "{\"type\":\"ping\",\"id\":\"p3\"}");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(SseClient.json(gone).text("code")).isEqualTo("unknown_connection");
        HttpResponse<String> closedThere = post(a, b.node().id() + "-999999", erin, "{\"type\":\"ping\",\"id\":\"p4\"}");
        assertThat(closedThere.statusCode()).isEqualTo(404);
    }

    @Test
    void aForwardedPostWhoseNodeDoesNotAnswerIs503() throws Exception {
        String mute = "mute" + run.replace("-", "");
        // Something listens on that node's channel, and never answers.
        RedisClient redis = RedisClient.create(cluster.redisUri());
        try (StatefulRedisPubSubConnection<String, String> listener = redis.connectPubSub()) {
            listener.sync().subscribe("sb:node:" + mute + ":c");
            long started = System.nanoTime();
            HttpResponse<String> unanswered = post(a, mute + "-1", "gina-" + run, "{\"type\":\"ping\",\"id\":\"p\"}");
            assertThat(unanswered.statusCode()).isEqualTo(503);
            assertThat(SseClient.json(unanswered).text("code")).isEqualTo("unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("after waiting for an answer: ack timeout + 2 s")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void resumingOnAnotherNodeRecovers() throws Exception {
        String carol = "carol-" + run;
        SseClient onB = clients.keep(SseClient.open(b.port(), "userId=" + carol));
        onB.welcome();

        onB.post("{\"type\":\"send\",\"id\":\"s1\",\"to\":\"" + carol + "\",\"message\":1}");
        eventually().until(() -> onB.events("message").size() == 1);
        String lastEventId = onB.events("message").get(0).id();
        onB.close();
        eventually().until(() -> b.node().localConnections(carol) == 0);
        V1Client dave = clients.keep(V1Client.connect(a.port(), "dave-" + run));
        dave.welcome();
        dave.send("s2", carol, "2");
        dave.send("s3", carol, "3");
        assertThat(dave.next("ack", 2)).allMatch(f -> f.number("delivered") == 0);

        SseClient onC = clients.keep(SseClient.open(c.port(), "userId=" + carol, Map.of("Last-Event-ID", lastEventId)));
        V1Frame resumed = onC.welcome();
        assertThat(resumed.bool("recovered")).isTrue();
        assertThat(resumed.number("missed")).isEqualTo(2);
        eventually().until(() -> onC.events("message").size() == 2);
        assertThat(onC.events("message")).extracting(e -> e.data().raw("message")).containsExactly("2", "3");
    }
}
