package dev.switchboard.cluster.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.RedisProcess;
import dev.switchboard.testing.ServerProcess;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cluster node as a real process next to an in-JVM node on one Redis: killed outright (SIGKILL),
 * its clients lose their connection, its counts vanish from the cluster within seconds, and the
 * clients recover on the other node; stopped (SIGTERM), its clients are told 1001 to move.
 */
class ClusterNodeProcessTest {
    private static final String API_KEY = "cluster-process-api-key";
    private RedisProcess redis;
    private SwitchboardServer a;
    private ServerProcess x;

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.start();
        a = TestServers.start(TestServers.bulkConfig().toBuilder().redis(redis.uri()).apiKey(API_KEY).build());
        x = ServerProcess.start("--host", "127.0.0.1", "--port", "0", "--redis", redis.uri(),
                "--shutdown-timeout", "5s");
    }

    @AfterEach
    void stop() throws Exception {
        x.close();
        a.close();
        redis.close();
    }

    private HttpResponse<String> api(String method, String path, String body) throws Exception {
        return Http.request(a.port(), method, path, Map.of("Authorization", "Bearer " + API_KEY), body);
    }

    @Test
    void aKilledNodeStopsCountingAndItsClientsRecoverOnAnotherNode() throws Exception {
        V1Client bob = V1Client.connect(x.awaitPort(), "bob");
        assertThat(api("POST", "/api/users/bob/messages", "{\"message\":\"one\"}").body()).contains("\"delivered\":1");
        long seen = bob.next("message").number("seq");
        String epoch = bob.epoch();
        assertThat(api("GET", "/api/users/bob", null).body()).contains("\"connections\":1");

        x.kill();

        assertThat(bob.socket().awaitClose().code()).isEqualTo(1006);
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api("GET", "/api/users/bob", null).body()).contains("\"connections\":0"));
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("the dead node's count expires within seconds")
                .isLessThan(Duration.ofSeconds(7));
        assertThat(api("POST", "/api/users/bob/messages", "{\"message\":\"two\"}").body()).contains("\"delivered\":0");

        try (V1Client resumed = V1Client.resume(a.port(), "bob", seen, epoch)) {
            assertThat(resumed.welcome().bool("recovered")).isTrue();
            assertThat(resumed.next("message").raw("message")).isEqualTo("\"two\"");
        }
    }

    @Test
    void sigtermOnANodeTellsItsClientsToMove() throws Exception {
        V1Client bob = V1Client.connect(x.awaitPort(), "bob");

        x.process().destroy();

        assertThat(bob.socket().awaitClose()).isEqualTo(new CloseStatus(1001, "going away"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(api("GET", "/api/users/bob", null).body()).contains("\"connections\":0"));
    }
}
