package dev.switchboard.security.it;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.auth.TestTokens;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection lives no longer than its token: when {@code exp} passes, the heartbeat closes it
 * with 4001 "token expired" (the client reconnects with a fresh token). The token is checked at
 * the handshake and the heartbeat closes with the same injected clock, so a {@link ManualClock}
 * and a {@link ManualScheduler} move time to the millisecond without sleeping.
 */
class TokenExpiryTest {
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

    private Instant now() {
        return Instant.ofEpochMilli(clock.currentTimeMillis());
    }

    /** Connects as {@code sub} with a token expiring at {@code exp}. */
    private JdkWebSocketClient connect(String sub, Instant exp) {
        String token = TestTokens.hs256(new JWTClaimsSet.Builder().subject(sub).expirationTime(Date.from(exp)).build());
        JdkWebSocketClient client = JdkWebSocketClient.connect(
                URI.create("ws://127.0.0.1:" + server.port() + "/"), Map.of("Authorization", "Bearer " + token));
        clients.add(client);
        return client;
    }

    private void advanceAndTick(Duration amount) {
        clock.advance(amount);
        scheduler.runAll();
    }

    private static void assertOpen(JdkWebSocketClient client, String userId) {
        client.send("{\"userId\":\"" + userId + "\",\"message\":\"still here\"}");
        assertThat(client.next(2)).containsExactlyInAnyOrder(
                "{\"userId\":\"" + userId + "\",\"delivered\":1}", "still here");
    }

    @Test
    void a_connection_is_closed_with_4001_when_its_token_expires_and_not_a_millisecond_before() {
        JdkWebSocketClient alice = connect("alice", now().plusSeconds(20));
        JdkWebSocketClient bob = connect("bob", now().plusSeconds(3600));

        advanceAndTick(Duration.ofMillis(19_999));
        assertThat(alice.isClosed()).isFalse();
        assertOpen(alice, "alice");

        advanceAndTick(Duration.ofMillis(1));

        assertThat(alice.awaitClose()).isEqualTo(new CloseStatus(4001, "token expired"));
        eventually().until(() -> server.node().localConnections("alice") == 0);
        // Only the expired one.
        assertThat(bob.isClosed()).isFalse();
        assertOpen(bob, "bob");
        assertThat(server.node().connectionCount()).isEqualTo(1);
    }

    @Test
    void a_reconnect_with_a_fresh_token_after_the_expiry_works() {
        JdkWebSocketClient first = connect("alice", now().plusSeconds(5));
        advanceAndTick(Duration.ofSeconds(5));
        assertThat(first.awaitClose().code()).isEqualTo(4001);

        JdkWebSocketClient second = connect("alice", now().plusSeconds(3600));

        assertOpen(second, "alice");
        assertThat(server.node().localSessions("alice")).hasSize(1);
    }
}
