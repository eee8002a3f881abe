package dev.switchboard.transport.it;

import dev.switchboard.testing.V1Frame;
import dev.switchboard.auth.TestTokens;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.SseClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static dev.switchboard.testing.Eventually.eventually;
import static dev.switchboard.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * switchboard.v1 over server-sent events, from a Java SSE reader: the same identity, limits, close
 * codes and token refresh as a WebSocket connection, keepalive comments, and the HTTP errors of the
 * POST side. (The wire and the JavaScript client over SSE: sse.test.mjs, run by JsClientTest.)
 */
class SseTest {
    @RegisterExtension
    final LiveServer server = new LiveServer(() -> TestServers.config().toBuilder()
            .pingInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofMillis(400)).maxConnectionsPerUser(2)
            // Below the HTTP body limit, so a POST over it is answered (413) rather than cut off by the aggregator.
            .maxMessageBytes(4096).build());

    private SseClient sse(String query) {
        return server.track(SseClient.open(server.port(), query));
    }

    @Test
    void keepaliveCommentsFlowAndAQuietStreamIsNotClosedAsIdle() {
        SseClient bob = sse("userId=bob");
        bob.welcome();

        within(Duration.ofSeconds(5)).until(() -> bob.comments() >= 5);
        assertThat(bob.ended()).as("open well past the 400 ms idle timeout").isFalse();
        assertThat(server.node().localConnections("bob")).isEqualTo(1);
    }

    @Test
    void anSseConnectionCountsLikeAWebSocketOneAndLeavesWhenItsClientGoes() throws Exception {
        SseClient first = sse("userId=bob");
        first.welcome();
        server.v1("bob");
        eventually().until(() -> server.node().localConnections("bob") == 2);

        SseClient third = sse("userId=bob");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.error().text("code")).isEqualTo("too_many_connections");

        first.close();
        eventually().until(() -> server.node().localConnections("bob") == 1);
    }

    @Test
    void theServerClosingTheConnectionIsACloseEventThenTheEndOfTheStream() throws Exception {
        SseClient bob = sse("userId=bob");
        String connectionId = bob.welcome().text("connectionId");

        server.node().disconnect("bob", CloseCodes.POLICY_VIOLATION, "bye").join();

        eventually().until(bob::ended);
        SseClient.Event last = bob.events().get(bob.events().size() - 1);
        assertThat(last.type()).isEqualTo("close");
        assertThat(last.data().number("code")).isEqualTo(CloseCodes.POLICY_VIOLATION);
        assertThat(last.data().text("reason")).isEqualTo("bye");
        HttpResponse<String> after = bob.post(connectionId, "userId=bob", "{\"type\":\"ping\",\"id\":\"p\"}");
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(SseClient.json(after).text("code")).isEqualTo("unknown_connection");
    }

    @Test
    void thePostSideAnswersWithHttpErrorsForWhatIsNotARequestOfThisConnection() throws Exception {
        SseClient bob = sse("userId=bob");
        String connectionId = bob.welcome().text("connectionId");

        HttpResponse<String> otherNode = bob.post("some0other0node-1", "userId=bob", "{\"type\":\"ping\",\"id\":\"p\"}");
        assertThat(otherNode.statusCode()).isEqualTo(421);
        assertThat(SseClient.json(otherNode).text("code")).isEqualTo("wrong_node");
        HttpResponse<String> tooBig = bob.post(connectionId, "userId=bob", "{\"type\":\"ping\",\"id\":\"" + "x".repeat(5_000) + "\"}");
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(SseClient.json(tooBig).text("code")).isEqualTo("message_too_big");
        assertThat(Http.request(server.port(), "PUT", "/sse", Map.of(), "").statusCode()).isEqualTo(405);
        assertThat(Http.request(server.port(), "GET", "/sse/" + connectionId, Map.of(), null).statusCode()).isEqualTo(405);
        HttpResponse<String> notJson = bob.post("nope");
        assertThat(notJson.statusCode()).isEqualTo(200);
        assertThat(SseClient.json(notJson).text("code")).isEqualTo("invalid_json");
        assertThat(bob.ended()).isFalse();
    }

    @Test
    void tokenMode_theStreamAndItsRequestsNeedTheTokensUser_andARefreshMovesTheExpiry() throws Exception {
        server.restartWith(TestServers.tokenConfig());
        assertThat(sse("userId=bob").status()).as("no token").isEqualTo(401);
        String token = TestTokens.hs256(TestTokens.claims("bob", Instant.now()).build());
        SseClient bob = server.track(SseClient.open(server.port(), "", Map.of("Authorization", "Bearer " + token)));
        String connectionId = bob.welcome().text("connectionId");
        long expiry = server.node().session(connectionId).expiresAtMillis();

        HttpResponse<String> noToken = bob.post(connectionId, "userId=bob", "{\"type\":\"ping\",\"id\":\"p\"}");
        assertThat(noToken.statusCode()).isEqualTo(401);
        String eve = TestTokens.hs256(TestTokens.claims("eve", Instant.now()).build());
        assertThat(bob.post(connectionId, "token=" + eve, "{\"type\":\"ping\",\"id\":\"p\"}").statusCode()).isEqualTo(403);

        V1Frame refused = SseClient.json(bob.post(connectionId, "token=" + token,
                "{\"type\":\"refresh\",\"id\":\"r1\",\"token\":\"" + eve + "\"}"));
        assertThat(refused.text("type")).isEqualTo("error");
        assertThat(refused.text("code")).isEqualTo("unauthorized");
        assertThat(server.node().session(connectionId).expiresAtMillis()).isEqualTo(expiry);

        Instant later = Instant.now().plusSeconds(7200);
        String fresh = TestTokens.hs256(TestTokens.claims("bob", Instant.now())
                .expirationTime(Date.from(later)).build());
        V1Frame refreshed = SseClient.json(bob.post(connectionId, "token=" + fresh,
                "{\"type\":\"refresh\",\"id\":\"r2\",\"token\":\"" + fresh + "\"}"));
        assertThat(refreshed.text("type")).isEqualTo("refreshed");
        assertThat(refreshed.number("expiresAt")).isEqualTo(later.getEpochSecond() * 1000);
        assertThat(server.node().session(connectionId).expiresAtMillis()).isEqualTo(later.getEpochSecond() * 1000);
        assertThat(bob.ended()).isFalse();
    }

    @Test
    void tokenMode_anExpiredTokenClosesTheStreamWith4001() throws Exception {
        server.restartWith(TestServers.tokenConfig().toBuilder()
                .pingInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofMillis(400)).build());
        String token = TestTokens.hs256(TestTokens.claims("bob", Instant.now())
                .expirationTime(Date.from(Instant.now().plusSeconds(2))).build());
        SseClient bob = sse("token=" + token);
        bob.welcome();

        within(Duration.ofSeconds(8)).until(bob::ended);
        SseClient.Event last = bob.events().get(bob.events().size() - 1);
        assertThat(last.type()).isEqualTo("close");
        assertThat(last.data().number("code")).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    }

    @Test
    void aPageOfAnAllowedOriginMayReadTheStreamAndTheAnswers_anotherOriginIsRefused() throws Exception {
        server.restartWith(TestServers.config().toBuilder().allowedOrigins(java.util.Set.of("https://app.example")).build());
        String origin = "https://app.example";
        SseClient bob = server.track(SseClient.open(server.port(), "userId=bob", Map.of("Origin", origin)));
        assertThat(bob.response().headers().firstValue("access-control-allow-origin")).hasValue(origin);
        String connectionId = bob.welcome().text("connectionId");
        HttpResponse<String> answer = Http.request(server.port(), "POST", "/sse/" + connectionId + "?userId=bob",
                Map.of("Origin", origin), "{\"type\":\"ping\",\"id\":\"p\"}");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("access-control-allow-origin")).hasValue(origin);

        HttpResponse<String> preflight = Http.request(server.port(), "OPTIONS", "/sse/" + connectionId,
                Map.of("Origin", origin, "Access-Control-Request-Method", "POST"), null);
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValueSatisfying(
                h -> assertThat(h).contains("Authorization"));

        SseClient evil = server.track(SseClient.open(server.port(), "userId=bob", Map.of("Origin", "https://evil.example")));
        assertThat(evil.status()).isEqualTo(403);
        assertThat(evil.error().text("code")).isEqualTo("origin_not_allowed");
        HttpResponse<String> evilPost = Http.request(server.port(), "POST", "/sse/" + connectionId + "?userId=bob",
                Map.of("Origin", "https://evil.example"), "{\"type\":\"ping\",\"id\":\"p\"}");
        assertThat(evilPost.statusCode()).isEqualTo(403);
        assertThat(evilPost.headers().firstValue("access-control-allow-origin")).isEmpty();
    }
}
