package dev.switchboard.app.it;

import com.nimbusds.jose.JWSAlgorithm;
import dev.switchboard.app.Pairings;
import dev.switchboard.auth.TestTokens;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pairing in token mode, end to end over HTTP and WebSocket, on a manual clock: a PC with a JWT
 * gets a code; the phone redeems it once for a device token and connects as the PC's user.
 */
class PairingEndpointsTest {
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private SwitchboardServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(TestServers.tokenConfig(), clock, scheduler);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        server.close();
    }

    private String jwt(String user) {
        return TestTokens.hs256(TestTokens.claims(user, Instant.ofEpochMilli(clock.currentTimeMillis())).build());
    }

    private HttpResponse<String> pair(String authorization) throws Exception {
        return Http.request(server.port(), "POST", "/app/pair",
                authorization == null ? Map.of() : Map.of("Authorization", authorization), null);
    }

    private HttpResponse<String> redeem(String body) throws Exception {
        return Http.request(server.port(), "POST", "/app/pair/redeem", Map.of("Content-Type", "application/json"), body);
    }

    private String code(String user) throws Exception {
        HttpResponse<String> response = pair("Bearer " + jwt(user));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) JsonObjects.parseFlat(response.body()).get("code");
    }

    @Test
    void a_pc_gets_a_code_the_phone_redeems_it_and_connects_as_the_same_user() throws Exception {
        HttpResponse<String> pairing = pair("Bearer " + jwt("bob"));

        assertThat(pairing.statusCode()).isEqualTo(200);
        Map<String, Object> body = JsonObjects.parseFlat(pairing.body());
        String code = (String) body.get("code");
        assertThat(code).matches("[A-Za-z0-9_-]{22}");
        assertThat(body).containsEntry("userId", "bob").containsEntry("phoneUrl", "/app/phone?pair=" + code);
        assertThat(((Number) body.get("expiresInSeconds")).longValue()).isEqualTo(120);

        HttpResponse<String> redeemed = redeem("{\"code\":\"" + code + "\"}");
        assertThat(redeemed.statusCode()).isEqualTo(200);
        Map<String, Object> device = JsonObjects.parseFlat(redeemed.body());
        assertThat(device).containsEntry("userId", "bob");
        String token = (String) device.get("token");

        V1Client pc = track(V1Client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/?token=" + jwt("bob")), Map.of()));
        V1Client phone = track(V1Client.connect(URI.create("ws://127.0.0.1:" + server.port()
                + "/?userId=mallory&token=" + token), Map.of()));
        assertThat(phone.welcome().text("userId")).isEqualTo("bob");
        phone.send("s1", "bob", "{\"type\":\"transcript\",\"kind\":\"final\",\"id\":\"a-1-0\",\"text\":\"hi\"}");
        assertThat(pc.next("presence").number("connections")).isEqualTo(2);
        assertThat(pc.next("message").raw("message")).contains("\"text\":\"hi\"");
    }

    @Test
    void a_code_works_once() throws Exception {
        String code = code("bob");
        assertThat(redeem("{\"code\":\"" + code + "\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> again = redeem("{\"code\":\"" + code + "\"}");

        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(JsonObjects.parseFlat(again.body())).containsEntry("code", "invalid_pairing_code");
    }

    @Test
    void a_code_expires_after_two_minutes_on_the_servers_clock() throws Exception {
        String late = code("bob");
        String onTime = code("bob");
        clock.advance(Pairings.CODE_LIFETIME.minusSeconds(1));
        assertThat(redeem("{\"code\":\"" + onTime + "\"}").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));

        HttpResponse<String> expired = redeem("{\"code\":\"" + late + "\"}");

        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(JsonObjects.parseFlat(expired.body())).containsEntry("code", "invalid_pairing_code");
    }

    @Test
    void a_pc_without_a_valid_jwt_gets_no_code() throws Exception {
        String other = TestTokens.sign(JWSAlgorithm.HS256, TestTokens.claims("bob", Instant.now()).build(),
                TestTokens.macSigner("another-secret-that-is-at-least-32-bytes-long".getBytes()));
        for (String authorization : new String[] {null, "Bearer ", "Bearer not-a-jwt", "Basic Ym9iOnB3", "Bearer " + other}) {
            HttpResponse<String> response = pair(authorization);
            assertThat(response.statusCode()).as(authorization).isEqualTo(401);
            assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer");
            assertThat(JsonObjects.parseFlat(response.body())).containsEntry("code", "unauthorized");
        }
    }

    @Test
    void a_device_token_cannot_get_codes_of_its_own() throws Exception {
        String device = (String) JsonObjects.parseFlat(redeem("{\"code\":\"" + code("bob") + "\"}").body()).get("token");

        assertThat(pair("Bearer " + device).statusCode()).isEqualTo(401);
    }

    @Test
    void bad_redeem_bodies_are_json_errors() throws Exception {
        assertError(redeem(""), 400, "invalid_json");
        assertError(redeem("{\"code\":"), 400, "invalid_json");
        assertError(redeem("[\"code\"]"), 400, "invalid_json");
        assertError(redeem("{\"code\":\"a\"} {}"), 400, "invalid_json");
        assertError(redeem("{}"), 422, "missing_code");
        assertError(redeem("{\"code\":42}"), 422, "missing_code");
        assertError(redeem("{\"code\":\"\"}"), 422, "missing_code");
        assertError(redeem("{\"code\":\"made-up\"}"), 403, "invalid_pairing_code");
    }

    @Test
    void an_unknown_or_expired_device_token_is_refused_at_the_handshake() throws Exception {
        assertRefused("/?token=" + Pairings.DEVICE_TOKEN_PREFIX + "made-up");

        String token = (String) JsonObjects.parseFlat(redeem("{\"code\":\"" + code("bob") + "\"}").body()).get("token");
        track(V1Client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/?token=" + token), Map.of()));
        clock.advance(Duration.ofHours(1)); // the PC's JWT, and so the device token, expire now
        assertRefused("/?token=" + token);
    }

    @Test
    void codes_and_device_tokens_never_reach_the_log() throws Exception {
        try (LogCapture capture = LogCapture.everything()) {
            String code = code("bob");
            String token = (String) JsonObjects.parseFlat(redeem("{\"code\":\"" + code + "\"}").body()).get("token");
            redeem("{\"code\":\"" + code + "\"}");
            track(V1Client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/?token=" + token), Map.of()));
            Http.get(server.port(), "/app/phone?pair=" + code);

            assertThat(capture.events()).isNotEmpty();
            assertThat(capture.eventsContaining(code)).isEmpty();
            assertThat(capture.eventsContaining(token.substring(Pairings.DEVICE_TOKEN_PREFIX.length()))).isEmpty();
        }
    }

    private void assertRefused(String pathAndQuery) {
        assertThatThrownBy(() -> RawWebSocketClient.connect(server.port(), pathAndQuery))
                .isInstanceOfSatisfying(RawWebSocketClient.HandshakeFailed.class, refused -> {
                    assertThat(refused.status()).isEqualTo(401);
                    JsonErrors.assertError(refused.body(), "unauthorized");
                });
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JsonObjects.parseFlat(response.body())).containsEntry("code", code).containsKey("error");
    }
}
