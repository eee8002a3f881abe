package dev.switchboard.cluster.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.SseClient;
import dev.switchboard.testing.TestCluster;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * v1 over SSE across three nodes on one Redis: an SSE connection is counted and reached from every
 * node like a WebSocket one, resumes on another node, and a POST that reaches the wrong node is
 * told so.
 */
class ClusterSseTest {
    private static TestCluster cluster;
    private static SwitchboardServer a;
    private static SwitchboardServer b;
    private static SwitchboardServer c;
    private final List<AutoCloseable> clients = new ArrayList<>();
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
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    @Test
    void anSseConnectionIsCountedAndReachedFromEveryNode() throws Exception {
        String bob = "bob-" + run;
        SseClient onB = track(SseClient.open(b.port(), "userId=" + bob));
        V1Frame welcome = onB.welcome();
        V1Client onC = track(V1Client.connect(c.port(), bob));
        onC.welcome();
        V1Client alice = track(V1Client.connect(a.port(), "alice-" + run));
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

    @Test
    void aPostSentToAnotherNodeIs421AndResumingOnAnotherNodeRecovers() throws Exception {
        String carol = "carol-" + run;
        SseClient onB = track(SseClient.open(b.port(), "userId=" + carol));
        String connectionId = onB.welcome().text("connectionId");

        HttpResponse<String> misrouted = onB.post(connectionId, "userId=" + carol, "{\"type\":\"ping\",\"id\":\"p\"}");
        assertThat(misrouted.statusCode()).isEqualTo(200);
        HttpResponse<String> elsewhere = dev.switchboard.testing.Http.request(a.port(), "POST",
                "/sse/" + connectionId + "?userId=" + carol, Map.of(), "{\"type\":\"ping\",\"id\":\"p\"}");
        assertThat(elsewhere.statusCode()).isEqualTo(421);
        assertThat(SseClient.json(elsewhere).text("code")).isEqualTo("wrong_node");

        onB.post("{\"type\":\"send\",\"id\":\"s1\",\"to\":\"" + carol + "\",\"message\":1}");
        eventually().until(() -> onB.events("message").size() == 1);
        String lastEventId = onB.events("message").get(0).id();
        onB.close();
        eventually().until(() -> b.node().localConnections(carol) == 0);
        V1Client dave = track(V1Client.connect(a.port(), "dave-" + run));
        dave.welcome();
        dave.send("s2", carol, "2");
        dave.send("s3", carol, "3");
        assertThat(dave.next("ack", 2)).allMatch(f -> f.number("delivered") == 0);

        SseClient onC = track(SseClient.open(c.port(), "userId=" + carol, Map.of("Last-Event-ID", lastEventId)));
        V1Frame resumed = onC.welcome();
        assertThat(resumed.bool("recovered")).isTrue();
        assertThat(resumed.number("missed")).isEqualTo(2);
        eventually().until(() -> onC.events("message").size() == 2);
        assertThat(onC.events("message")).extracting(e -> e.data().raw("message")).containsExactly("2", "3");
    }
}
