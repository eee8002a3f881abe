package dev.switchboard.security.it;

import dev.switchboard.auth.TestTokens;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connection limits at the handshake: over {@code --max-connections-per-user} a handshake is
 * refused with 429 ({@code too_many_connections}), over {@code --max-connections} with 503
 * ({@code server_full}), each with a JSON body. A refused handshake changes no count, the
 * connections already open keep working, HTTP is not limited, and a place freed by a close can be
 * taken again.
 */
class ConnectionLimitsTest {
    private SwitchboardServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(ServerConfig config) throws Exception {
        server = TestServers.start(config);
    }

    private JdkWebSocketClient connect(String userId) {
        JdkWebSocketClient client = JdkWebSocketClient.connect(server.port(), userId);
        clients.add(client);
        return client;
    }

    private void assertRefused(String target, Map<String, String> headers, int status, String code) {
        int before = server.node().connectionCount();
        assertThatThrownBy(() -> RawWebSocketClient.connect(server.port(), target, headers))
                .isInstanceOfSatisfying(RawWebSocketClient.HandshakeFailed.class, refused -> {
                    assertThat(refused.status()).isEqualTo(status);
                    JsonErrors.assertError(refused.body(), code);
                });
        assertThat(server.node().connectionCount()).isEqualTo(before);
    }

    @Test
    void a_user_over_the_per_user_limit_is_refused_with_429_and_others_are_not() throws Exception {
        start(TestServers.config().toBuilder().maxConnectionsPerUser(2).build());
        JdkWebSocketClient phone = connect("bob");
        JdkWebSocketClient laptop = connect("bob");

        assertRefused("/?userId=bob", Map.of(), 429, "too_many_connections");

        assertThat(server.node().localSessions("bob")).hasSize(2);
        JdkWebSocketClient alice = connect("alice");
        connect("alice");
        alice.send("{\"userId\":\"bob\",\"message\":\"hi\"}");
        assertThat(alice.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");
        assertThat(phone.next()).isEqualTo("hi");
        assertThat(laptop.next()).isEqualTo("hi");
    }

    @Test
    void a_place_freed_by_a_close_can_be_taken_again() throws Exception {
        start(TestServers.config().toBuilder().maxConnectionsPerUser(1).build());
        JdkWebSocketClient first = connect("bob");
        assertRefused("/?userId=bob", Map.of(), 429, "too_many_connections");

        first.close();
        eventually().until(() -> server.node().localConnections("bob") == 0);

        JdkWebSocketClient second = connect("bob");
        second.send("{\"userId\":\"bob\",\"message\":\"back\"}");
        assertThat(second.next(2)).containsExactlyInAnyOrder("{\"userId\":\"bob\",\"delivered\":1}", "back");
    }

    @Test
    void in_token_mode_the_per_user_limit_counts_the_tokens_sub_whatever_userid_is_asked_for() throws Exception {
        start(TestServers.tokenConfig().toBuilder().maxConnectionsPerUser(1).build());
        String bob = TestTokens.hs256(TestTokens.claims("bob", Instant.now()).build());
        clients.add(JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/?token=" + bob)));

        assertRefused("/?userId=someone-else&token=" + bob, Map.of(), 429, "too_many_connections");
        assertRefused("/", Map.of("Authorization", "Bearer " + bob), 429, "too_many_connections");
        assertThat(server.node().localSessions("bob")).hasSize(1);
        assertThat(server.node().localSessions("someone-else")).isEmpty();
    }

    @Test
    void a_server_over_its_connection_limit_refuses_with_503_but_still_answers_http() throws Exception {
        start(TestServers.config().toBuilder().maxConnections(3).build());
        JdkWebSocketClient bob = connect("bob");
        connect("alice");
        JdkWebSocketClient anonymous = connect(null);

        assertRefused("/?userId=carol", Map.of(), 503, "server_full");
        assertRefused("/", Map.of(), 503, "server_full");

        HttpResponse<String> health = Http.get(server.port(), "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JsonObjects.parseFlat(health.body())).containsEntry("connections", 3L);
        anonymous.send("{\"userId\":\"bob\",\"message\":\"still working\"}");
        assertThat(anonymous.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("still working");

        anonymous.close();
        eventually().until(() -> server.node().connectionCount() == 2);
        connect("carol");
        assertThat(server.node().localSessions("carol")).hasSize(1);
    }

    @Test
    void a_full_server_says_503_before_a_full_user_says_429() throws Exception {
        start(TestServers.config().toBuilder().maxConnections(2).maxConnectionsPerUser(1).build());
        connect("bob");
        connect("alice");

        assertRefused("/?userId=bob", Map.of(), 503, "server_full");
    }
}
