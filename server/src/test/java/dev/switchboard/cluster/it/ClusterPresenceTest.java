package dev.switchboard.cluster.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.ChaosProxy;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.RedisProcess;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection is counted by every node from the moment its 101 is out — even when the node that
 * holds it reaches Redis over a slow link, so its count lands in Redis well after the handshake
 * could have been answered. (On a fast link the race is only lost under CPU load.)
 */
class ClusterPresenceTest {
    private static final String API_KEY = "cluster-presence-api-key";
    private static final Duration SLOW_LINK = Duration.ofMillis(25);
    private static RedisProcess redis;
    private static ChaosProxy slowLink;
    private static SwitchboardServer a;
    private static SwitchboardServer b;
    private static SwitchboardServer c;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisProcess.start();
        slowLink = ChaosProxy.start(redis.port());
        a = TestServers.start(TestServers.bulkConfig().toBuilder().redis(redis.uri()).apiKey(API_KEY)
                .clusterAckTimeout(Duration.ofSeconds(2)).build());
        var behindTheSlowLink = TestServers.bulkConfig().toBuilder().redis("redis://127.0.0.1:" + slowLink.port())
                .apiKey(API_KEY).clusterAckTimeout(Duration.ofSeconds(2)).build();
        b = TestServers.start(behindTheSlowLink);
        c = TestServers.start(behindTheSlowLink);
        slowLink.delayUpstream(SLOW_LINK);
    }

    @AfterAll
    static void stop() throws Exception {
        a.close();
        b.close();
        c.close();
        slowLink.close();
        redis.close();
    }

    private static HttpResponse<String> api(String method, String path, String body) {
        try {
            return Http.request(a.port(), method, path, Map.of("Authorization", "Bearer " + API_KEY), body);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    @Test
    void aBackendThatHearsOfAConnectionCountsItOnAnyNode() throws Exception {
        for (int round = 0; round < 50; round++) {
            String bob = "bob-slow-" + round;
            String text = "hello " + round;
            try (JdkWebSocketClient onB = JdkWebSocketClient.connect(b.port(), bob);
                 JdkWebSocketClient onC = JdkWebSocketClient.connect(c.port(), bob)) {
                var presence = CompletableFuture.supplyAsync(() -> api("GET", "/api/users/" + bob, null));
                var sent = CompletableFuture.supplyAsync(() ->
                        api("POST", "/api/users/" + bob + "/messages", "{\"message\":\"" + text + "\"}"));

                assertThat(presence.get(5, TimeUnit.SECONDS).body()).as("round %d", round)
                        .isEqualTo("{\"userId\":\"" + bob + "\",\"online\":true,\"connections\":2}");
                assertThat(sent.get(5, TimeUnit.SECONDS).body()).as("round %d", round)
                        .startsWith("{\"userId\":\"" + bob + "\",\"delivered\":2,");
                assertThat(onB.next()).isEqualTo(text);
                assertThat(onC.next()).isEqualTo(text);
            }
        }
    }
}
