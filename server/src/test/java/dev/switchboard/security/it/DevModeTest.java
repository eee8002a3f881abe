package dev.switchboard.security.it;

import dev.switchboard.auth.TestTokens;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without security flags the server behaves as the seed did (the whole plain-mode contract is
 * transport/it); with every security flag on, the plain HTTP endpoints — {@code /health},
 * {@code /metrics}, the page at {@code /} — need no token, key or origin.
 */
class DevModeTest {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void dev_mode_takes_the_userid_on_the_clients_word_as_before() throws Exception {
        SwitchboardServer server = track(TestServers.start());
        JdkWebSocketClient bob = track(JdkWebSocketClient.connect(server.port(), "bob"));
        JdkWebSocketClient alice = track(JdkWebSocketClient.connect(server.port(), "alice"));
        JdkWebSocketClient anonymous = track(JdkWebSocketClient.connect(server.port(), null));
        // A token is not needed and, in dev mode, not read: the userId decides.
        JdkWebSocketClient carol = track(JdkWebSocketClient.connect(
                URI.create("ws://127.0.0.1:" + server.port() + "/?userId=carol&token=" + TestTokens.hs256(
                        TestTokens.claims("mallory", Instant.now()).build()))));

        alice.send("{\"userId\":\"bob\",\"message\":\"hi bob\"}");
        anonymous.send("{\"userId\":\"carol\",\"message\":\"hi carol\"}");

        assertThat(alice.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("hi bob");
        assertThat(anonymous.next()).isEqualTo("{\"userId\":\"carol\",\"delivered\":1}");
        assertThat(carol.next()).isEqualTo("hi carol");
        assertThat(server.node().localSessions("mallory")).isEmpty();
        // The API is off without a key.
        assertThat(Http.get(server.port(), "/api/users/bob").statusCode()).isEqualTo(404);
    }

    @Test
    void with_every_security_flag_on_the_http_endpoints_need_nothing() throws Exception {
        SwitchboardServer server = track(TestServers.start(TestServers.tokenConfig().toBuilder()
                .apiKey("some-api-key").allowedOrigins(Set.of("https://app.example.com"))
                .maxConnections(10).maxConnectionsPerUser(1).build()));
        track(JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                Map.of("Authorization", "Bearer " + TestTokens.hs256(TestTokens.claims("bob", Instant.now()).build()))));

        HttpResponse<String> health = Http.get(server.port(), "/health", Map.of("Origin", "https://evil.example.com"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JsonObjects.parseFlat(health.body())).containsEntry("status", "up").containsEntry("connections", 1L);

        HttpResponse<String> metrics = Http.get(server.port(), "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("switchboard_connections");

        HttpResponse<String> page = Http.get(server.port(), "/", Map.of("Accept", "text/html"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));

        HttpResponse<String> notFound = Http.get(server.port(), "/nothing-here");
        assertThat(notFound.statusCode()).isEqualTo(404);
        JsonErrors.assertError(notFound.body(), "not_found");
    }
}
