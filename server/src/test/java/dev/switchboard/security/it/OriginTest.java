package dev.switchboard.security.it;

import dev.switchboard.auth.TestTokens;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --allowed-origins}: against cross-site WebSocket hijacking, a browser page from another
 * origin is refused with 403 and a JSON body (code {@code origin_not_allowed}). The match is exact.
 * A handshake without {@code Origin} is not from a browser and is allowed (in token mode the token
 * guards it). Without the flag every origin is allowed (ConnectionLifecycleTest covers that).
 */
class OriginTest {
    private static final String APP = "https://app.example.com";
    private static final String LOCAL = "http://localhost:3000";

    private SwitchboardServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(TestServers.config().toBuilder().allowedOrigins(Set.of(APP, LOCAL)).build());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        server.close();
    }

    private JdkWebSocketClient connect(SwitchboardServer target, String userId, Map<String, String> headers) {
        JdkWebSocketClient client = JdkWebSocketClient.connect(JdkWebSocketClient.uri(target.port(), userId), headers);
        clients.add(client);
        return client;
    }

    private static void assertRefused(SwitchboardServer target, String query, Map<String, String> headers,
                                      int status, String code) {
        int before = target.node().connectionCount();
        assertThatThrownBy(() -> RawWebSocketClient.connect(target.port(), query, headers))
                .isInstanceOfSatisfying(RawWebSocketClient.HandshakeFailed.class, refused -> {
                    assertThat(refused.status()).isEqualTo(status);
                    assertThat(refused.headers().get("content-type")).startsWith("application/json");
                    JsonErrors.assertError(refused.body(), code);
                });
        assertThat(target.node().connectionCount()).isEqualTo(before);
    }

    @Test
    void a_browser_page_from_another_origin_is_refused_with_403() {
        assertRefused(server, "/?userId=bob", Map.of("Origin", "https://evil.example.com"), 403, "origin_not_allowed");
        assertThat(server.node().localSessions("bob")).isEmpty();
    }

    @ParameterizedTest(name = "Origin: {0}")
    @ValueSource(strings = {
            "https://app.example.com:443", "https://APP.example.com", "https://app.example.com/",
            "http://app.example.com", "https://app.example.com.evil.com", "https://evil-app.example.com",
            "http://localhost:3001", "http://localhost", "null", ""})
    void the_match_is_exact(String origin) {
        assertRefused(server, "/?userId=bob", Map.of("Origin", origin), 403, "origin_not_allowed");
    }

    @Test
    void an_allowed_origin_connects_and_receives() {
        JdkWebSocketClient app = connect(server, "bob", Map.of("Origin", APP));
        JdkWebSocketClient local = connect(server, "bob", Map.of("Origin", LOCAL));

        app.send("{\"userId\":\"bob\",\"message\":\"hi\"}");

        assertThat(app.next(2)).containsExactlyInAnyOrder("{\"userId\":\"bob\",\"delivered\":2}", "hi");
        assertThat(local.next()).isEqualTo("hi");
    }

    @Test
    void a_handshake_without_an_origin_is_allowed() throws Exception {
        JdkWebSocketClient jdk = connect(server, "bob", Map.of());
        RawWebSocketClient raw = RawWebSocketClient.connect(server.port(), "/?userId=bob");
        clients.add(raw);

        jdk.send("{\"userId\":\"bob\",\"message\":\"hi\"}");

        assertThat(jdk.next(2)).containsExactlyInAnyOrder("{\"userId\":\"bob\",\"delivered\":2}", "hi");
        assertThat(raw.readText()).isEqualTo("hi");
    }

    @Test
    void in_token_mode_the_origin_is_checked_first_and_an_allowed_origin_still_needs_a_token() throws Exception {
        try (SwitchboardServer tokens = TestServers.start(TestServers.tokenConfig().toBuilder()
                .allowedOrigins(Set.of(APP)).build())) {
            String token = TestTokens.hs256(TestTokens.claims("bob", Instant.now()).build());

            assertRefused(tokens, "/?token=" + token, Map.of("Origin", "https://evil.example.com"),
                    403, "origin_not_allowed");
            assertRefused(tokens, "/", Map.of("Origin", APP), 401, "unauthorized");

            JdkWebSocketClient bob = JdkWebSocketClient.connect(
                    URI.create("ws://127.0.0.1:" + tokens.port() + "/?token=" + token), Map.of("Origin", APP));
            clients.add(bob);
            assertThat(tokens.node().localSessions("bob")).hasSize(1);
        }
    }
}
