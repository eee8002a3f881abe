package dev.switchboard.security.it;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.auth.SendPolicy;
import dev.switchboard.auth.TestTokens;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --send-policy}: who a connection may send to. {@code any} (the dev-mode default) lets
 * anyone address anyone, {@code self} (the token-mode default) only one's own user, {@code claim}
 * only the users in the token's {@code sendTo} array. A refused send is answered with an error
 * frame {@code {"error","code":"forbidden"}}, nothing is delivered, and the connection stays open.
 */
class SendPolicyTest {
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

    private JdkWebSocketClient dev(String userId) {
        return track(JdkWebSocketClient.connect(server.port(), userId));
    }

    private JdkWebSocketClient token(JWTClaimsSet claims) {
        return track(JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                Map.of("Authorization", "Bearer " + TestTokens.hs256(claims))));
    }

    private JdkWebSocketClient token(String sub) {
        return token(TestTokens.claims(sub, Instant.now()).build());
    }

    private JdkWebSocketClient track(JdkWebSocketClient client) {
        clients.add(client);
        return client;
    }

    private static String send(String userId, String message) {
        return "{\"userId\":\"" + userId + "\",\"message\":\"" + message + "\"}";
    }

    /** The send is acknowledged with {@code delivered} and the message is not refused. */
    private static void assertAllowed(JdkWebSocketClient sender, String userId, int delivered) {
        sender.send(send(userId, "to " + userId));
        assertThat(sender.next()).isEqualTo("{\"userId\":\"" + userId + "\",\"delivered\":" + delivered + "}");
    }

    /** The send is refused with a forbidden error frame; the connection stays open. */
    private static void assertForbidden(JdkWebSocketClient sender, String userId) {
        sender.send(send(userId, "forbidden to " + userId));
        JsonErrors.assertError(sender.next(), "forbidden");
        assertThat(sender.isClosed()).isFalse();
    }

    /** {@code recipient}'s next message is a marker sent now: nothing refused reached it before. */
    private void assertNothingReached(JdkWebSocketClient recipient, String userId) {
        JdkWebSocketClient marker = track(JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                Map.of("Authorization", "Bearer " + TestTokens.hs256(TestTokens.claims(userId, Instant.now()).build()))));
        marker.send(send(userId, "marker"));
        assertThat(recipient.next()).isEqualTo("marker");
    }

    @Test
    void dev_mode_defaults_to_any() throws Exception {
        start(TestServers.config());
        JdkWebSocketClient bob = dev("bob");
        JdkWebSocketClient alice = dev("alice");
        JdkWebSocketClient anonymous = dev(null);

        assertAllowed(alice, "bob", 1);
        assertAllowed(anonymous, "bob", 1);
        assertAllowed(alice, "nobody", 0);
        assertThat(bob.next(2)).containsExactly("to bob", "to bob");
    }

    @Test
    void token_mode_defaults_to_self_and_a_refused_send_leaves_the_connection_open() throws Exception {
        start(TestServers.tokenConfig());
        JdkWebSocketClient bob = token("bob");
        JdkWebSocketClient alice = token("alice");

        assertForbidden(alice, "bob");
        assertForbidden(alice, "nobody");
        // Still open and still allowed to reach itself.
        alice.send(send("alice", "to alice"));
        assertThat(alice.next(2)).containsExactlyInAnyOrder("{\"userId\":\"alice\",\"delivered\":1}", "to alice");
        assertNothingReached(bob, "bob");
    }

    @Test
    void self_in_dev_mode_confines_a_connection_to_its_userid_and_a_send_only_connection_to_nothing() throws Exception {
        start(TestServers.config().toBuilder().sendPolicy(SendPolicy.SELF).build());
        JdkWebSocketClient bob = dev("bob");
        JdkWebSocketClient alice = dev("alice");
        JdkWebSocketClient anonymous = dev(null);

        assertForbidden(alice, "bob");
        assertForbidden(anonymous, "bob");
        assertForbidden(anonymous, "alice");
        alice.send(send("alice", "to alice"));
        assertThat(alice.next(2)).containsExactlyInAnyOrder("{\"userId\":\"alice\",\"delivered\":1}", "to alice");
        bob.send(send("bob", "to bob"));
        assertThat(bob.next(2)).containsExactlyInAnyOrder("{\"userId\":\"bob\",\"delivered\":1}", "to bob");
        assertThat(bob.pending()).isEmpty();
    }

    @Test
    void both_protocols_refuse_with_the_same_text() throws Exception {
        start(TestServers.config().toBuilder().sendPolicy(SendPolicy.SELF).build());
        JdkWebSocketClient plain = dev("alice");
        V1Client v1 = track(V1Client.connect(server.port(), "alice"));

        plain.send(send("bob", "hi"));
        v1.send("r1", "bob", "\"hi\"");

        String expected = "you may not send to or ask about this user (send policy: self)";
        assertThat(JsonObjects.parseFlat(plain.next())).containsEntry("error", expected);
        assertThat(v1.next("error").text("error")).isEqualTo(expected);
    }

    private V1Client track(V1Client client) {
        clients.add(client);
        return client;
    }

    @Test
    void any_in_token_mode_lets_a_token_send_to_anyone() throws Exception {
        start(TestServers.tokenConfig().toBuilder().sendPolicy(SendPolicy.ANY).build());
        JdkWebSocketClient bob = token("bob");
        JdkWebSocketClient alice = token("alice");

        assertAllowed(alice, "bob", 1);
        assertAllowed(alice, "carol", 0);
        assertThat(bob.next()).isEqualTo("to bob");
    }

    @Test
    void claim_allows_exactly_the_users_in_the_tokens_sendto_array() throws Exception {
        start(TestServers.tokenConfig().toBuilder().sendPolicy(SendPolicy.CLAIM).build());
        JdkWebSocketClient bob = token("bob");
        JdkWebSocketClient dave = token("dave");
        JdkWebSocketClient alice = token(TestTokens.claims("alice", Instant.now())
                .claim("sendTo", List.of("bob", "carol")).build());

        assertAllowed(alice, "bob", 1);
        assertAllowed(alice, "carol", 0);
        assertForbidden(alice, "dave");
        // Not even to itself: only the listed users.
        assertForbidden(alice, "alice");
        assertForbidden(alice, "Bob");

        assertThat(bob.next()).isEqualTo("to bob");
        assertNothingReachedUnderClaim(dave, "dave");
        assertThat(alice.pending()).isEmpty();
    }

    @Test
    void claim_without_a_sendto_claim_allows_no_one() throws Exception {
        start(TestServers.tokenConfig().toBuilder().sendPolicy(SendPolicy.CLAIM).build());
        JdkWebSocketClient bob = token("bob");
        JdkWebSocketClient alice = token("alice");

        assertForbidden(alice, "bob");
        assertForbidden(alice, "alice");
        assertNothingReachedUnderClaim(bob, "bob");
        assertThat(alice.pending()).isEmpty();
    }

    /** Under claim a marker needs a token that lists the recipient. */
    private void assertNothingReachedUnderClaim(JdkWebSocketClient recipient, String userId) {
        JdkWebSocketClient marker = token(TestTokens.claims("marker", Instant.now())
                .claim("sendTo", List.of(userId)).build());
        marker.send(send(userId, "marker"));
        assertThat(marker.next()).isEqualTo("{\"userId\":\"" + userId + "\",\"delivered\":1}");
        assertThat(recipient.next()).isEqualTo("marker");
    }
}
