package dev.switchboard.transport.it;

import dev.switchboard.auth.SendPolicy;
import dev.switchboard.auth.TestTokens;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.PrometheusText;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receipts (a recipient's connection confirms, the sending connection hears of it) and presence
 * (events to a user's other connections, queries under the send policy), per docs/PROTOCOL.md.
 *
 * <p>"Nothing more arrives" is proven, not waited for: the connection whose frame could cause
 * something is pinged after it, so the server has handled that frame before its pong; then the
 * connection that would have received something is pinged, and its pong must come first.
 */
class ReceiptsAndPresenceTest {
    @RegisterExtension
    final LiveServer server = new LiveServer();

    private static void assertPresenceEvent(V1Frame event, String user, int connections) {
        assertThat(event.type()).isEqualTo("presence");
        assertThat(event.names()).containsExactly("type", "user", "online", "connections");
        assertThat(event.text("user")).isEqualTo(user);
        assertThat(event.bool("online")).isEqualTo(connections > 0);
        assertThat(event.number("connections")).isEqualTo(connections);
    }

    // --- receipts ---------------------------------------------------------------------------

    @Test
    void two_devices_confirm_and_the_sender_gets_one_receipt_naming_each() {
        V1Client phone = server.v1("bob");
        V1Client laptop = server.v1("bob");
        assertPresenceEvent(phone.next(), "bob", 2);
        V1Client alice = server.v1("alice");

        alice.sendWithReceipt("r1", "bob", "\"did you get this?\"");

        V1Frame ack = alice.next("ack");
        assertThat(ack.number("delivered")).isEqualTo(2);
        assertThat(ack.number("seq")).isEqualTo(1);
        for (V1Client device : List.of(phone, laptop)) {
            V1Frame message = device.next("message");
            assertThat(message.names()).containsExactly("type", "seq", "from", "message", "ts", "receipt");
            assertThat(message.bool("receipt")).isTrue();
            device.received(message.number("seq"));
        }
        List<V1Frame> receipts = alice.next("receipt", 2);
        for (V1Frame receipt : receipts) {
            assertThat(receipt.names()).containsExactly("type", "id", "to", "seq", "connectionId");
            assertThat(receipt.text("id")).isEqualTo("r1");
            assertThat(receipt.text("to")).isEqualTo("bob");
            assertThat(receipt.number("seq")).isEqualTo(1);
        }
        assertThat(receipts).extracting(r -> r.text("connectionId"))
                .containsExactlyInAnyOrder(phone.connectionId(), laptop.connectionId());

        // Confirming again gives nothing.
        phone.received(1);
        laptop.received(1);
        phone.assertNothingMore();
        laptop.assertNothingMore();
        alice.assertNothingMore();
    }

    @Test
    void confirming_a_message_without_receipt_or_one_not_received_gives_nothing() {
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        alice.send("r1", "bob", "\"no receipt wanted\"");
        alice.sendWithReceipt("r2", "bob", "\"receipt wanted\"");
        alice.next("ack", 2);
        V1Frame plain = bob.next("message");
        assertThat(plain.has("receipt")).isFalse();
        bob.next("message");
        V1Client lateDevice = server.v1("bob");
        assertPresenceEvent(bob.next(), "bob", 2);

        bob.received(plain.number("seq"));
        bob.received(99);
        lateDevice.received(2); // sent before this connection joined: it never received it
        alice.received(2); // alice's own stream has no seq 2

        bob.assertNothingMore();
        lateDevice.assertNothingMore();
        alice.assertNothingMore();
        bob.received(2);
        assertThat(alice.next("receipt").text("connectionId")).isEqualTo(bob.connectionId());
    }

    @Test
    void a_receipt_for_a_sender_that_disconnected_is_dropped_without_error() throws Exception {
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        alice.sendWithReceipt("r1", "bob", "\"bye\"");
        alice.next("ack");
        V1Frame message = bob.next("message");
        alice.close();
        PrometheusText before = Http.metrics(server.port());

        bob.received(message.number("seq"));
        bob.assertNothingMore();

        V1Client carol = server.v1("carol");
        carol.send("r1", "bob", "\"still here?\"");
        assertThat(carol.next("ack").number("delivered")).isEqualTo(1);
        assertThat(bob.next("message").text("message")).isEqualTo("still here?");
        PrometheusText after = Http.metrics(server.port());
        assertThat(after.series("switchboard_errors_total")).isEqualTo(before.series("switchboard_errors_total"));
        assertThat(after.series("switchboard_closes_total")).isEqualTo(before.series("switchboard_closes_total"));
    }

    @Test
    void a_send_only_sender_gets_receipts_and_a_send_without_id_gets_them_with_a_null_id() {
        V1Client bob = server.v1("bob");
        V1Client sendOnly = server.v1(null);

        sendOnly.sendText(V1Client.sendRequest(null, "bob", "\"anonymous\"", true));
        assertThat(sendOnly.next("ack").text("id")).isNull();
        bob.received(bob.next("message").number("seq"));

        V1Frame receipt = sendOnly.next("receipt");
        assertThat(receipt.text("id")).isNull();
        assertThat(receipt.number("seq")).isEqualTo(1);
        assertThat(receipt.text("connectionId")).isEqualTo(bob.connectionId());
    }

    @Test
    void a_message_recovered_after_a_reconnect_can_still_be_confirmed() {
        V1Client bob = server.v1("bob");
        String epoch = bob.epoch();
        bob.close();
        V1Client alice = server.v1("alice");
        alice.sendWithReceipt("r1", "bob", "\"while you were out\"");
        assertThat(alice.next("ack").number("delivered")).isZero();

        V1Client back = server.track(V1Client.resume(server.port(), "bob", 0, epoch));
        V1Frame missed = back.next("message");
        assertThat(missed.bool("receipt")).isTrue();
        back.received(missed.number("seq"));

        V1Frame receipt = alice.next("receipt");
        assertThat(receipt.text("id")).isEqualTo("r1");
        assertThat(receipt.text("connectionId")).isEqualTo(back.connectionId());
    }

    // --- presence ---------------------------------------------------------------------------

    @Test
    void a_users_other_v1_connections_hear_of_each_connection_opening_and_closing() {
        V1Client pc = server.v1("bob");
        V1Client phone = server.v1("bob");
        assertPresenceEvent(pc.next(), "bob", 2);
        phone.assertNothingMore(); // a connection is not told about its own arrival

        JdkWebSocketClient tablet = server.track(JdkWebSocketClient.connect(server.port(), "bob"));
        assertPresenceEvent(pc.next(), "bob", 3);
        assertPresenceEvent(phone.next(), "bob", 3);

        phone.close();
        assertPresenceEvent(pc.next(), "bob", 2);
        tablet.close();
        assertPresenceEvent(pc.next(), "bob", 1);

        // Other users and send-only connections coming and going are not bob's presence.
        server.v1("alice").close();
        server.v1(null).close();
        pc.assertNothingMore();
        assertThat(tablet.pending()).isEmpty();
    }

    @Test
    void a_plain_connection_gets_no_presence_events() {
        JdkWebSocketClient tablet = server.track(JdkWebSocketClient.connect(server.port(), "bob"));
        server.v1("bob").close();
        JdkWebSocketClient sender = server.track(JdkWebSocketClient.connect(server.port(), null));

        sender.send("{\"userId\":\"bob\",\"message\":\"first and only\"}");

        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(tablet.next()).isEqualTo("first and only");
        assertThat(tablet.pending()).isEmpty();
    }

    @Test
    void a_presence_query_is_answered_with_its_id() {
        V1Client bob = server.v1("bob");
        JdkWebSocketClient bobsTablet = server.track(JdkWebSocketClient.connect(server.port(), "bob"));
        bob.next("presence");
        V1Client alice = server.v1("alice");

        alice.presence("q1", "bob");
        alice.presence("q2", "carol");

        V1Frame online = alice.next("presence");
        assertThat(online.names()).containsExactly("type", "id", "user", "online", "connections");
        assertThat(online.text("id")).isEqualTo("q1");
        assertThat(online.text("user")).isEqualTo("bob");
        assertThat(online.bool("online")).isTrue();
        assertThat(online.number("connections")).isEqualTo(2);
        V1Frame offline = alice.next("presence");
        assertThat(offline.text("id")).isEqualTo("q2");
        assertThat(offline.text("user")).isEqualTo("carol");
        assertThat(offline.bool("online")).isFalse();
        assertThat(offline.number("connections")).isZero();

        bob.close();
        bobsTablet.close();
        alice.presence("q3", "bob");
        V1Frame gone = alice.next("presence");
        assertThat(gone.text("id")).isEqualTo("q3");
        assertThat(gone.bool("online")).isFalse();
        assertThat(gone.number("connections")).isZero();
    }

    // --- the send policy ----------------------------------------------------------------------

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private V1Client v1WithToken(String sub, List<String> sendTo) {
        var claims = TestTokens.claims(sub, Instant.now());
        if (sendTo != null) {
            claims.claim("sendTo", sendTo);
        }
        // ?userId= is ignored in token mode: the token says who this is.
        return server.track(V1Client.connect(JdkWebSocketClient.uri(server.port(), "mallory"),
                bearer(TestTokens.hs256(claims.build()))));
    }

    private static void assertForbidden(V1Frame frame, String id) {
        assertThat(frame.type()).isEqualTo("error");
        assertThat(frame.text("id")).isEqualTo(id);
        assertThat(frame.text("code")).isEqualTo("forbidden");
        assertThat(frame.text("error")).contains("self");
    }

    @Test
    void in_token_mode_with_the_self_policy_a_user_may_ask_about_and_send_to_themselves_only() throws Exception {
        server.restartWith(TestServers.config().toBuilder().jwtSecret(TestTokens.SECRET).build());
        V1Client alice = v1WithToken("alice", null);
        V1Client bob = v1WithToken("bob", null);
        assertThat(bob.welcome().text("userId")).isEqualTo("bob");

        bob.presence("q1", "alice");
        bob.send("s1", "alice", "\"hi alice\"");
        bob.presence("q2", "bob");
        bob.send("s2", "bob", "\"note to self\"");

        assertForbidden(bob.next(), "q1");
        assertForbidden(bob.next(), "s1");
        V1Frame self = bob.next("presence");
        assertThat(self.text("id")).isEqualTo("q2");
        assertThat(self.number("connections")).isEqualTo(1);
        V1Frame toSelf = bob.next("message");
        assertThat(toSelf.text("from")).isEqualTo("bob");
        assertThat(bob.next("ack").text("id")).isEqualTo("s2");
        alice.assertNothingMore();
    }

    @Test
    void under_the_claim_policy_presence_queries_follow_the_tokens_send_to_claim() throws Exception {
        server.restartWith(TestServers.config().toBuilder().jwtSecret(TestTokens.SECRET).sendPolicy(SendPolicy.CLAIM).build());
        v1WithToken("alice", null);
        V1Client bob = v1WithToken("bob", List.of("alice"));

        bob.presence("q1", "alice");
        bob.presence("q2", "carol");

        V1Frame alice = bob.next("presence");
        assertThat(alice.text("id")).isEqualTo("q1");
        assertThat(alice.number("connections")).isEqualTo(1);
        V1Frame refused = bob.next("error");
        assertThat(refused.text("id")).isEqualTo("q2");
        assertThat(refused.text("code")).isEqualTo("forbidden");
    }
}
