package dev.switchboard.cluster.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.ChaosProxy;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.RedisProcess;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Node B reaches Redis through a proxy that the tests break: its connections cut, or frozen
 * (open but silent, the failure that health checks miss). Messages published meanwhile are not
 * lost silently: the sender's count says who got them, and once B is back, the recipient's
 * connections that missed something are closed with 1012 so the client resumes and recovers them.
 */
class ClusterPartitionTest {
    private static final String API_KEY = "cluster-partition-api-key";
    private RedisProcess redis;
    private ChaosProxy proxy;
    private SwitchboardServer a;
    private SwitchboardServer b;

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.start();
        proxy = ChaosProxy.start(redis.port());
        a = TestServers.start(TestServers.bulkConfig().toBuilder().redis(redis.uri()).apiKey(API_KEY)
                .clusterAckTimeout(Duration.ofMillis(300)).build());
        b = TestServers.start(TestServers.bulkConfig().toBuilder().redis("redis://127.0.0.1:" + proxy.port())
                .apiKey(API_KEY).clusterAckTimeout(Duration.ofMillis(300)).build());
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        proxy.close();
        redis.close();
    }

    private HttpResponse<String> send(String text) throws Exception {
        return Http.request(a.port(), "POST", "/api/users/bob/messages",
                Map.of("Authorization", "Bearer " + API_KEY), "{\"message\":\"" + text + "\"}");
    }

    @Test
    void aNodeCutOffFromRedisComesBackAndItsClientsRecoverWhatTheyMissed() throws Exception {
        V1Client bob = V1Client.connect(b.port(), "bob");
        assertThat(send("before").body()).contains("\"delivered\":1");
        long seen = bob.next("message").number("seq");
        String epoch = bob.epoch();

        proxy.refuseNew(true);
        proxy.cutAll();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Http.get(b.port(), "/health").statusCode()).isEqualTo(503));
        assertThat(send("while B is away").body()).as("B holds bob but cannot hear").contains("\"delivered\":0");
        proxy.refuseNew(false);

        assertThat(bob.socket().awaitClose().code()).as("bob is told to reconnect").isEqualTo(1012);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Http.get(b.port(), "/health").statusCode()).isEqualTo(200));
        try (V1Client resumed = V1Client.resume(b.port(), "bob", seen, epoch)) {
            assertThat(resumed.welcome().bool("recovered")).isTrue();
            assertThat(resumed.next("message").raw("message")).isEqualTo("\"while B is away\"");
            assertThat(send("after").body()).contains("\"delivered\":1");
            assertThat(resumed.next("message").raw("message")).isEqualTo("\"after\"");
        }
    }

    @Test
    void aPlainConnectionOfANodeCutOffIsKeptAndWhatItMayHaveMissedIsCounted() throws Exception {
        JdkWebSocketClient plain = JdkWebSocketClient.connect(b.port(), "bob");
        V1Client v1 = V1Client.connect(b.port(), "bob");
        assertThat(send("before").body()).contains("\"delivered\":2");
        assertThat(plain.next()).isEqualTo("before");
        v1.next("message");

        proxy.refuseNew(true);
        proxy.cutAll();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Http.get(b.port(), "/health").statusCode()).isEqualTo(503));
        assertThat(send("missed once").body()).contains("\"delivered\":0");
        assertThat(send("missed twice").body()).contains("\"delivered\":0");
        proxy.refuseNew(false);

        assertThat(v1.socket().awaitClose().code()).isEqualTo(1012);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Http.get(b.port(), "/health").statusCode()).isEqualTo(200));
        assertThat(Http.metrics(b.port()).value("switchboard_messages_missed_total"))
                .as("one plain connection, two messages").isEqualTo(2.0);
        assertThat(send("after").body()).contains("\"delivered\":1");
        assertThat(plain.next()).as("the plain client never reconnected").isEqualTo("after");
        assertThat(plain.isClosed()).isFalse();
        plain.close();
    }

    @Test
    void aSilentSubscriptionIsDetectedAndReplaced() throws Exception {
        V1Client bob = V1Client.connect(b.port(), "bob");
        assertThat(send("before").body()).contains("\"delivered\":1");
        long seen = bob.next("message").number("seq");
        String epoch = bob.epoch();

        proxy.freezeAll();
        HttpResponse<String> during = send("into the void");
        assertThat(during.body()).as("B is subscribed but does not answer").contains("\"delivered\":0")
                .contains("\"partial\":true");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Http.get(b.port(), "/health").statusCode()).as("not ready while silent").isEqualTo(503));
        assertThat(bob.socket().awaitClose().code()).as("once B is back, bob is told to reconnect").isEqualTo(1012);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Http.get(b.port(), "/health").statusCode()).isEqualTo(200));
        try (V1Client resumed = V1Client.resume(b.port(), "bob", seen, epoch)) {
            assertThat(resumed.welcome().bool("recovered")).isTrue();
            List<V1Frame> missed = resumed.next("message", 1);
            assertThat(missed.get(0).raw("message")).isEqualTo("\"into the void\"");
            assertThat(send("after").body()).contains("\"delivered\":1").doesNotContain("partial");
        }
    }
}
