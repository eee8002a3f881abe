package dev.switchboard.security.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.auth.TestTokens;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.RawHttpConnection;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Secrets never reach a log, at any level: not a token — valid or refused, from the Authorization
 * header or from {@code ?token=} — not the JWT secret, not the API key, not a wrong key someone
 * tried. Every log event of the process is captured at TRACE (message, arguments, MDC, stack
 * traces) while a server starts, admits and refuses handshakes of every kind, serves the API,
 * expires a token, and stops.
 */
class SecretsInLogsTest {
    private static final String API_KEY = "api-key-that-must-never-be-logged-7f3a9c";
    private static final String WRONG_KEY = "wrong-api-key-someone-tried-5d1e";

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler();

    private Instant now() {
        return Instant.ofEpochMilli(clock.currentTimeMillis());
    }

    private String token(String sub) {
        return TestTokens.hs256(TestTokens.claims(sub, now()).build());
    }

    @Test
    void no_token_secret_or_api_key_appears_in_any_log_event() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(TestTokens.SECRET, API_KEY, WRONG_KEY));
        List<String> logged;
        try (LogCapture capture = LogCapture.everything()) {
            try (SwitchboardServer server = TestServers.start(TestServers.tokenConfig().toBuilder()
                    .apiKey(API_KEY).allowedOrigins(Set.of("https://app.example.com"))
                    .maxConnectionsPerUser(1).maxHeaderBytes(4096).build(), clock, scheduler)) {
                int port = server.port();
                List<AutoCloseable> clients = new ArrayList<>();
                try {
                    // Admitted: ?token= and Bearer, one of them short-lived.
                    String alice = token("alice");
                    String bob = TestTokens.hs256(new JWTClaimsSet.Builder().subject("bob")
                            .expirationTime(Date.from(now().plusSeconds(10))).build());
                    secrets.add(alice);
                    secrets.add(bob);
                    JdkWebSocketClient aliceClient = JdkWebSocketClient.connect(
                            URI.create("ws://127.0.0.1:" + port + "/?token=" + alice));
                    clients.add(aliceClient);
                    JdkWebSocketClient bobClient = JdkWebSocketClient.connect(
                            URI.create("ws://127.0.0.1:" + port + "/"), Map.of("Authorization", "Bearer " + bob));
                    clients.add(bobClient);
                    aliceClient.send("{\"userId\":\"alice\",\"message\":\"hi\"}");
                    assertThat(aliceClient.next(2)).hasSize(2);
                    aliceClient.send("{\"userId\":\"bob\",\"message\":\"forbidden\"}");
                    assertThat(aliceClient.next()).contains("forbidden");

                    // Refused, each way a token can be refused, in the query and in the header.
                    String expired = TestTokens.hs256(new JWTClaimsSet.Builder().subject("carol")
                            .expirationTime(Date.from(now().minusSeconds(3600))).build());
                    String forged = TestTokens.sign(JWSAlgorithm.HS256, TestTokens.claims("carol", now()).build(),
                            TestTokens.macSigner("a-forger-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8)));
                    String garbage = "garbage-token-" + "g".repeat(40);
                    String secondAlice = token("alice");
                    String evilOrigin = token("dave");
                    secrets.addAll(List.of(expired, forged, garbage, secondAlice, evilOrigin));
                    for (String refused : List.of(expired, forged, garbage)) {
                        assertRefused(port, "/?token=" + refused, Map.of(), 401);
                        assertRefused(port, "/", Map.of("Authorization", "Bearer " + refused), 401);
                    }
                    assertRefused(port, "/?token=" + secondAlice, Map.of(), 429);
                    assertRefused(port, "/", Map.of("Authorization", "Bearer " + secondAlice), 429);
                    assertRefused(port, "/?token=" + evilOrigin, Map.of("Origin", "https://evil.example.com"), 403);
                    assertRefusedRaw(port, RawHttpConnection.upgradeRequest(port,
                            "/?token=" + evilOrigin + "&pad=" + "p".repeat(9000), Map.of()), 414);
                    assertRefusedRaw(port, RawHttpConnection.upgradeRequest(port, "/",
                            Map.of("Authorization", "Bearer " + evilOrigin, "X-Pad", "p".repeat(5000))), 431);

                    // The server API with the key and with a wrong one.
                    Map<String, String> withKey = Map.of("Authorization", "Bearer " + API_KEY);
                    assertThat(Http.request(port, "POST", "/api/users/alice/messages", withKey,
                            "{\"message\":\"from the backend\"}").statusCode()).isEqualTo(200);
                    assertThat(aliceClient.next()).isEqualTo("from the backend");
                    assertThat(Http.request(port, "GET", "/api/users/alice", withKey, null).statusCode()).isEqualTo(200);
                    assertThat(Http.request(port, "POST", "/api/users/alice/messages",
                            Map.of("Authorization", "Bearer " + WRONG_KEY), "{\"message\":\"x\"}").statusCode())
                            .isEqualTo(401);
                    assertThat(Http.request(port, "POST", "/api/users/alice/messages", withKey, "{bad json")
                            .statusCode()).isEqualTo(400);

                    // Closes: by the token's expiry and by the API.
                    clock.advance(Duration.ofSeconds(10));
                    scheduler.runAll();
                    assertThat(bobClient.awaitClose().code()).isEqualTo(4001);
                    assertThat(Http.request(port, "DELETE", "/api/users/alice/connections", withKey, null)
                            .statusCode()).isEqualTo(200);
                    assertThat(aliceClient.awaitClose().code()).isEqualTo(4003);
                } finally {
                    for (AutoCloseable client : clients) {
                        client.close();
                    }
                }
            }
            logged = capture.events();
            // The capture worked, down to DEBUG: it saw the connects and the refusals.
            assertThat(capture.eventsContaining("connect user=alice")).isNotEmpty();
            assertThat(capture.eventsContaining("disconnect user=bob")).isNotEmpty();
            assertThat(capture.eventsContaining("handshake refused: 401")).isNotEmpty();
            assertThat(capture.eventsContaining("handshake refused: 429")).isNotEmpty();
        }

        for (String secret : secrets) {
            List<String> leaks = new ArrayList<>(List.of(secret));
            if (secret.chars().filter(c -> c == '.').count() == 2) {
                // Nor a part of a token that would do as well: its claims or its signature.
                String[] parts = secret.split("\\.");
                leaks.add(parts[1]);
                leaks.add(parts[2]);
            }
            for (String leak : leaks) {
                assertThat(logged.stream().filter(event -> event.contains(leak)).toList())
                        .as("log events containing %s", leak).isEmpty();
            }
        }
    }

    private static void assertRefused(int port, String target, Map<String, String> headers, int status) {
        assertThatThrownBy(() -> RawWebSocketClient.connect(port, target, headers))
                .isInstanceOfSatisfying(RawWebSocketClient.HandshakeFailed.class,
                        refused -> assertThat(refused.status()).isEqualTo(status));
    }

    private static void assertRefusedRaw(int port, String request, int status) throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(port)) {
            connection.write(request);
            assertThat(connection.readResponse().status()).isEqualTo(status);
        }
    }
}
