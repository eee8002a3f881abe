package dev.switchboard.cluster.it;

import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Closer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.RedisProcess;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What a cluster node does when Redis or another node fails, on a real redis-server that the
 * tests kill and restart.
 */
class ClusterFailureTest {
    private static final String API_KEY = "cluster-failure-api-key";
    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    private SwitchboardServer node(RedisProcess redis, Duration ackTimeout) throws InterruptedException {
        ServerConfig config = TestServers.bulkConfig().toBuilder().redis(redis.uri()).apiKey(API_KEY)
                .clusterAckTimeout(ackTimeout).build();
        return closer.keep(TestServers.start(config));
    }

    private static HttpResponse<String> send(SwitchboardServer node, String user, String json) throws Exception {
        return Http.request(node.port(), "POST", "/api/users/" + user + "/messages",
                Map.of("Authorization", "Bearer " + API_KEY), "{\"message\":" + json + "}");
    }

    @Test
    void aNodeStartsWithoutRedisNotReadyAndBecomesReadyWhenRedisAnswers() throws Exception {
        RedisProcess redis = closer.keep(RedisProcess.reserve());
        SwitchboardServer node = node(redis, Duration.ofMillis(500));

        HttpResponse<String> health = Http.get(node.port(), "/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"unavailable\"");
        assertThatThrownBy(() -> JdkWebSocketClient.connect(node.port(), "bob"))
                .hasStackTraceContaining("503");
        HttpResponse<String> refused = send(node, "bob", "\"early\"");
        assertThat(refused.statusCode()).isEqualTo(503);
        JsonErrors.assertError(refused.body(), "unavailable");

        redis.restart();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Http.get(node.port(), "/health").statusCode()).isEqualTo(200));
        JdkWebSocketClient bob = closer.keep(JdkWebSocketClient.connect(node.port(), "bob"));
        assertThat(send(node, "bob", "\"now\"").body()).contains("\"delivered\":1");
        assertThat(bob.next()).isEqualTo("now");
    }

    @Test
    void afterARedisRestartDeliveryResumesAndNothingAcknowledgedIsLost() throws Exception {
        RedisProcess redis = closer.keep(RedisProcess.start(true));
        SwitchboardServer a = node(redis, Duration.ofMillis(500));
        SwitchboardServer b = node(redis, Duration.ofMillis(500));
        V1Client bob = closer.keep(V1Client.connect(b.port(), "bob"));
        for (int i = 1; i <= 20; i++) {
            assertThat(send(a, "bob", Integer.toString(i)).body()).contains("\"delivered\":1");
        }
        assertThat(bob.next("message", 20)).extracting(f -> f.number("seq")).endsWith(20L);

        redis.kill();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Http.get(a.port(), "/health").statusCode()).isEqualTo(503));
        long restarted = System.nanoTime();
        redis.restart();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(Http.get(a.port(), "/health").statusCode()).isEqualTo(200);
            assertThat(Http.get(b.port(), "/health").statusCode()).isEqualTo(200);
        });
        double seconds = (System.nanoTime() - restarted) / 1e9;
        assertThat(seconds).as("both nodes ready within 5 s of the restart").isLessThan(5);
        assertThat(send(a, "bob", "21").body()).contains("\"delivered\":1");
        V1Frame next = bob.next("message");
        assertThat(next.raw("message")).isEqualTo("21");
        assertThat(next.number("seq")).as("same stream, same epoch: nothing was lost").isEqualTo(21);

        V1Client late = closer.keep(V1Client.resume(a.port(), "bob", 0, bob.epoch()));
        assertThat(late.welcome().bool("recovered")).isTrue();
        assertThat(late.next("message", 21)).extracting(f -> f.number("seq"))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 21).boxed().toList());
    }

    @Test
    void aRedisOutageKeepsPlainConnectionsAndSendsResumableOnesToRecover() throws Exception {
        RedisProcess redis = closer.keep(RedisProcess.start(false));
        SwitchboardServer a = node(redis, Duration.ofMillis(500));
        SwitchboardServer b = node(redis, Duration.ofMillis(500));
        JdkWebSocketClient plain = closer.keep(JdkWebSocketClient.connect(b.port(), "bob"));
        V1Client v1 = closer.keep(V1Client.connect(b.port(), "bob"));
        JdkWebSocketClient sender = closer.keep(JdkWebSocketClient.connect(a.port(), null));
        sender.send(JdkWebSocketClient.plainSend("bob", "before"));
        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");
        assertThat(plain.next()).isEqualTo("before");
        V1Frame before = v1.next("message");
        String oldEpoch = v1.epoch();

        redis.kill();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Http.get(a.port(), "/health").statusCode()).isEqualTo(503));
        sender.send(JdkWebSocketClient.plainSend("bob", "while Redis is away"));
        JsonErrors.assertError(sender.next(), "unavailable");
        redis.restart(); // no persistence: bob's stream is gone

        assertThat(v1.socket().awaitClose().code()).as("the v1 client is told to resume").isEqualTo(1012);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(Http.get(a.port(), "/health").statusCode()).isEqualTo(200);
            assertThat(Http.get(b.port(), "/health").statusCode()).isEqualTo(200);
        });
        sender.send(JdkWebSocketClient.plainSend("bob", "after"));
        assertThat(sender.next()).as("only the plain connection is there").isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(plain.next()).isEqualTo("after");

        V1Client back = closer.keep(V1Client.resume(b.port(), "bob", before.number("seq"), oldEpoch));
        assertThat(back.welcome().bool("recovered")).isFalse();
        assertThat(back.epoch()).isNotEqualTo(oldEpoch);
        assertThat(back.next("message").raw("message")).as("what the new epoch holds comes first")
                .isEqualTo("\"after\"");
        sender.send(JdkWebSocketClient.plainSend("bob", "again"));
        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");
        assertThat(plain.next()).isEqualTo("again");
        assertThat(back.next("message").raw("message")).as("the v1 client receives in the new epoch")
                .isEqualTo("\"again\"");
        assertThat(plain.isClosed()).as("the plain client never had to reconnect").isFalse();
    }

    /**
     * Redis at its maxmemory under noeviction refuses writes: every sender is told "unavailable"
     * (plain error frame, v1 error, HTTP 503), the node keeps its connections, and once Redis has
     * room again the stream goes on from where it was, without a gap.
     */
    @Test
    void aRedisAtMaxmemoryRefusesSendsCleanlyAndNothingIsSkippedAfterwards() throws Exception {
        RedisProcess redis = closer.keep(RedisProcess.start(false));
        SwitchboardServer a = node(redis, Duration.ofMillis(500));
        V1Client bob = closer.keep(V1Client.connect(a.port(), "bob"));
        JdkWebSocketClient plain = closer.keep(JdkWebSocketClient.connect(a.port(), null));
        V1Client v1 = closer.keep(V1Client.connect(a.port(), "alice"));
        redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
        redis.command("CONFIG", "SET", "maxmemory", "3mb");

        String big = "m".repeat(16_000);
        String reply = null;
        long delivered = 0;
        for (int i = 0; i < 2_000; i++) {
            plain.send(JdkWebSocketClient.plainSend("offline-" + (i % 50), big));
            reply = plain.next();
            if (reply.contains("\"error\"")) {
                break;
            }
        }
        JsonErrors.assertError(reply, "unavailable");
        assertThat(reply).as("the error says why").contains("Redis is full");
        // Used memory hovers at the limit (a request's own buffer counts): pin it well below, so
        // Redis stays full for the next sends.
        redis.command("CONFIG", "SET", "maxmemory", "1mb");
        v1.send("full", "bob", "\"no room\"");
        V1Frame refused = v1.next("error");
        assertThat(refused.text("code")).isEqualTo("unavailable");
        assertThat(refused.text("id")).isEqualTo("full");
        HttpResponse<String> api = send(a, "bob", "\"no room either\"");
        assertThat(api.statusCode()).isEqualTo(503);
        JsonErrors.assertError(api.body(), "unavailable");
        assertThat(api.body()).contains("Redis is full");
        assertThat(Http.get(a.port(), "/health").statusCode()).as("Redis answers: the node is up").isEqualTo(200);

        redis.command("CONFIG", "SET", "maxmemory", "0");
        v1.send("room", "bob", "\"room again\"");
        assertThat(v1.next("ack").number("delivered")).isEqualTo(1);
        V1Frame message = bob.next("message");
        assertThat(message.text("message")).isEqualTo("room again");
        assertThat(message.number("seq")).as("the refused sends took no seq").isEqualTo(1);
        bob.assertNothingMore();
        assertThat(plain.isClosed()).isFalse();
    }


    @Test
    void aRedisThatLostEverythingResetsTheStreamsAndTheNodesRestorePresence() throws Exception {
        RedisProcess redis = closer.keep(RedisProcess.start(false));
        SwitchboardServer a = node(redis, Duration.ofMillis(500));
        SwitchboardServer b = node(redis, Duration.ofMillis(500));
        V1Client bob = closer.keep(V1Client.connect(b.port(), "bob"));
        assertThat(send(a, "bob", "\"before\"").body()).contains("\"delivered\":1");
        V1Frame before = bob.next("message");
        String oldEpoch = bob.epoch();

        redis.restart(); // no persistence: every stream, count and liveness key is gone

        assertThat(bob.socket().awaitClose().code()).as("bob's stream was reset under him").isEqualTo(1012);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(Http.get(a.port(), "/health").statusCode()).isEqualTo(200);
            assertThat(Http.get(b.port(), "/health").statusCode()).isEqualTo(200);
        });
        V1Client back = closer.keep(V1Client.resume(b.port(), "bob", before.number("seq"), oldEpoch));
        assertThat(back.welcome().bool("recovered")).as("history is gone, and the client is told").isFalse();
        assertThat(back.epoch()).isNotEqualTo(oldEpoch);
        V1Client phone = closer.keep(V1Client.connect(a.port(), "bob"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Http.request(a.port(), "GET", "/api/users/bob", Map.of("Authorization", "Bearer " + API_KEY),
                        null).body()).contains("\"connections\":2"));
        assertThat(send(a, "bob", "\"after\"").body()).contains("\"delivered\":2");
        assertThat(back.next("presence").number("connections")).as("the phone, on another node").isEqualTo(2);
        assertThat(back.next("message").raw("message")).isEqualTo("\"after\"");
        assertThat(phone.next("message").raw("message")).isEqualTo("\"after\"");
    }

    @Test
    void aNodeThatDoesNotAnswerMakesTheCountPartial() throws Exception {
        RedisProcess redis = closer.keep(RedisProcess.start());
        SwitchboardServer a = node(redis, Duration.ofMillis(300));
        SwitchboardServer b = node(redis, Duration.ofMillis(300));
        JdkWebSocketClient bob = closer.keep(JdkWebSocketClient.connect(b.port(), "bob"));
        // A node that holds bob but never reports: subscribed to his channel, silent.
        try (Socket mute = new Socket("127.0.0.1", redis.port())) {
            subscribe(mute, "sb:{bob}:c");
            JdkWebSocketClient alice = closer.keep(JdkWebSocketClient.connect(a.port(), "alice"));

            long start = System.nanoTime();
            alice.send("{\"userId\":\"bob\",\"message\":\"hi\"}");
            String ack = alice.next();
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(ack).isEqualTo("{\"userId\":\"bob\",\"delivered\":1,\"partial\":true}");
            assertThat(waitedMillis).as("waited for the late node up to the ack timeout").isGreaterThanOrEqualTo(250);
            assertThat(bob.next()).isEqualTo("hi");
        }
        JdkWebSocketClient alice = closer.keep(JdkWebSocketClient.connect(a.port(), "alice"));
        alice.send("{\"userId\":\"bob\",\"message\":\"again\"}");
        assertThat(alice.next()).as("complete again once the silent subscriber is gone")
                .isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
    }

    private static void subscribe(Socket socket, String channel) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("*2\r\n$9\r\nSUBSCRIBE\r\n$" + channel.length() + "\r\n" + channel + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] reply = new byte[256];
        int n = in.read(reply);
        assertThat(new String(reply, 0, n, StandardCharsets.UTF_8)).contains("subscribe");
    }
}
