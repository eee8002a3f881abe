package dev.switchboard.app.it;

import dev.switchboard.auth.TestTokens;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.RedisProcess;
import dev.switchboard.testing.TestCluster;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Pairing behind a load balancer: three token-mode nodes on one real Redis. The PC asks one node
 * for a code, the phone redeems it on another and connects on a third; a code still works once,
 * even when two nodes race for it, and Redis never holds it in clear.
 */
class ClusterPairingTest {
    private static TestCluster cluster;
    private static SwitchboardServer a;
    private static SwitchboardServer b;
    private static SwitchboardServer c;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start(3, TestServers.tokenConfig().toBuilder().build());
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

    private String user(String name) {
        return name + "-" + run;
    }

    private static String jwt(String user) {
        return TestTokens.hs256(TestTokens.claims(user, Instant.now()).build());
    }

    private static String code(SwitchboardServer node, String user) throws Exception {
        HttpResponse<String> response = Http.request(node.port(), "POST", "/app/pair",
                Map.of("Authorization", "Bearer " + jwt(user)), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) JsonObjects.parseFlat(response.body()).get("code");
    }

    private static HttpResponse<String> redeem(SwitchboardServer node, String code) throws Exception {
        return Http.request(node.port(), "POST", "/app/pair/redeem", Map.of("Content-Type", "application/json"),
                "{\"code\":\"" + code + "\"}");
    }

    private V1Client connect(SwitchboardServer node, String token) {
        V1Client client = V1Client.connect(URI.create("ws://127.0.0.1:" + node.port() + "/?token=" + token), Map.of());
        clients.add(client);
        return client;
    }

    @Test
    void pairOnOneNodeRedeemOnAnotherAndConnectTheirPhoneOnAThird() throws Exception {
        String bob = user("bob");
        String code = code(a, bob);

        HttpResponse<String> redeemed = redeem(b, code);

        assertThat(redeemed.statusCode()).as(redeemed.body()).isEqualTo(200);
        Map<String, Object> device = JsonObjects.parseFlat(redeemed.body());
        assertThat(device).containsEntry("userId", bob);
        V1Client phone = connect(c, (String) device.get("token"));
        assertThat(phone.welcome().text("userId")).isEqualTo(bob);
        V1Client pc = connect(a, jwt(bob));
        pc.welcome();
        assertThat(phone.next("presence").number("connections")).as("the PC came online").isEqualTo(2);
        pc.send("s1", bob, "{\"type\":\"transcript\",\"kind\":\"final\",\"id\":\"a-1-0\",\"text\":\"hello\"}");
        assertThat(phone.next("message").raw("message")).contains("\"text\":\"hello\"");

        for (SwitchboardServer node : cluster.nodes()) {
            HttpResponse<String> again = redeem(node, code);
            assertThat(again.statusCode()).as("second redeem on node %d", node.port()).isEqualTo(403);
            JsonErrors.assertError(again.body(), "invalid_pairing_code");
        }
    }

    @Test
    void twoNodesRacingForOneCodeGiveOneDevice() throws Exception {
        for (int round = 0; round < 20; round++) {
            String code = code(a, user("race"));
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> racers = new ArrayList<>();
            for (SwitchboardServer node : List.of(b, c)) {
                racers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return redeem(node, code).statusCode();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            start.countDown();
            List<Integer> statuses = racers.stream().map(CompletableFuture::join).sorted().toList();
            assertThat(statuses).as("round %d", round).containsExactly(200, 403);
        }
    }

    @Test
    void redisHoldsDigestsNotCodes() throws Exception {
        String code = code(a, user("carol"));

        String keys = cluster.redis().command("KEYS", "sb:app:*");

        assertThat(keys).doesNotContain(code).contains("sb:app:device-key")
                .containsPattern("sb:app:pair:[A-Za-z0-9_-]{43}");
        String ttl = cluster.redis().command("PTTL", keys.lines().filter(line -> line.startsWith("sb:app:pair:"))
                .findFirst().orElseThrow());
        assertThat(Long.parseLong(ttl.trim().substring(1))).isBetween(1L, 120_000L);
        String value = cluster.redis().command("GET", "sb:app:device-key");
        assertThat(value).doesNotContain(code);
    }

    @Test
    void aForgedOrForeignDeviceTokenIsRefusedOnEveryNode() throws Exception {
        String token = (String) JsonObjects.parseFlat(redeem(a, code(a, user("dave"))).body()).get("token");
        String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");

        for (SwitchboardServer node : cluster.nodes()) {
            assertThatThrownBy(() -> RawWebSocketClient.connect(node.port(), "/?token=" + forged))
                    .isInstanceOfSatisfying(RawWebSocketClient.HandshakeFailed.class, refused ->
                            assertThat(refused.status()).isEqualTo(401));
        }
    }

    @Test
    void withoutRedisPairingAnswers503UntilRedisAnswers() throws Exception {
        try (RedisProcess late = RedisProcess.reserve();
             SwitchboardServer node = TestServers.start(TestServers.tokenConfig().toBuilder().redis(late.uri()).build())) {
            HttpResponse<String> pair = Http.request(node.port(), "POST", "/app/pair",
                    Map.of("Authorization", "Bearer " + jwt(user("erin"))), null);
            assertThat(pair.statusCode()).isEqualTo(503);
            JsonErrors.assertError(pair.body(), "unavailable");
            HttpResponse<String> redeemed = redeem(node, "any-code");
            assertThat(redeemed.statusCode()).isEqualTo(503);
            JsonErrors.assertError(redeemed.body(), "unavailable");

            late.restart();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Http.request(node.port(), "POST",
                    "/app/pair", Map.of("Authorization", "Bearer " + jwt(user("erin"))), null).statusCode())
                    .isEqualTo(200));
        }
    }
}
