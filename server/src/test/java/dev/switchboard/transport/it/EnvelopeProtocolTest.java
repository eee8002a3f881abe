package dev.switchboard.transport.it;

import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.PrometheusText;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.SteadySender;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * docs/PROTOCOL.md over real connections: choosing {@code switchboard.v1} by subprotocol, the
 * welcome, messages, acks, pings, binary requests, ordering, and the metrics of v1 traffic.
 */
class EnvelopeProtocolTest {
    @RegisterExtension
    final LiveServer server = new LiveServer();

    private JdkWebSocketClient offering(String userId, String... subprotocols) {
        return server.track(JdkWebSocketClient.connect(JdkWebSocketClient.uri(server.port(), userId), Map.of(),
                List.of(subprotocols)));
    }

    // --- choosing the protocol --------------------------------------------------------------

    @Test
    void offering_switchboard_v1_gets_it_echoed_and_a_welcome_as_the_first_frame() {
        JdkWebSocketClient bob = offering("bob", "switchboard.v1");

        assertThat(bob.subprotocol()).isEqualTo("switchboard.v1");
        V1Frame welcome = V1Frame.parse(bob.next());
        assertThat(welcome.names()).containsExactly("type", "connectionId", "userId", "epoch", "seq");
        assertThat(welcome.type()).isEqualTo("welcome");
        assertThat(welcome.text("connectionId")).isNotBlank();
        assertThat(welcome.text("userId")).isEqualTo("bob");
        assertThat(welcome.text("epoch")).isNotBlank();
        assertThat(welcome.number("seq")).isZero();
    }

    @Test
    void two_connections_of_a_user_share_the_epoch_and_have_their_own_connection_ids() {
        V1Client phone = server.v1("bob");
        V1Client laptop = server.v1("bob");
        V1Client alice = server.v1("alice");

        assertThat(laptop.epoch()).isEqualTo(phone.epoch());
        assertThat(laptop.connectionId()).isNotEqualTo(phone.connectionId());
        assertThat(alice.connectionId()).isNotIn(phone.connectionId(), laptop.connectionId());
    }

    @Test
    void switchboard_v1_is_chosen_among_other_offers() {
        JdkWebSocketClient bob = offering("bob", "chat", "switchboard.v1");

        assertThat(bob.subprotocol()).isEqualTo("switchboard.v1");
        assertThat(V1Frame.parse(bob.next()).type()).isEqualTo("welcome");
    }

    @Test
    void offering_nothing_stays_plain() {
        JdkWebSocketClient bob = offering("bob");
        JdkWebSocketClient sender = offering(null);

        assertPlain(bob, sender);
    }

    @Test
    void offering_only_unknown_subprotocols_stays_plain() {
        JdkWebSocketClient bob = offering("bob", "chat", "switchboard.v2");
        JdkWebSocketClient sender = offering(null, "mqtt");

        assertPlain(bob, sender);
    }

    /** No welcome, no envelope: the first frames are the bare message and the plain ack. */
    private void assertPlain(JdkWebSocketClient bob, JdkWebSocketClient sender) {
        assertThat(bob.subprotocol()).isEmpty();
        assertThat(sender.subprotocol()).isEmpty();
        eventually().until(() -> server.node().connectionCount() == 2);

        sender.send("{\"userId\":\"bob\",\"message\":\"hi\"}");

        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("hi");
        sender.send("{\"type\":\"ping\",\"id\":\"r1\"}");
        assertThat(sender.next()).contains("\"code\":\"missing_user_id\"").doesNotContain("\"type\"");
    }

    /**
     * RFC 6455 11.3.4: the offer may be split over several header lines, which means the same as
     * one line. Whatever the server decides, it must say so: speaking v1 without echoing it would
     * send welcome frames to a client that believes it is in plain mode.
     */
    @Test
    void an_offer_split_over_two_header_lines_is_echoed_when_v1_is_spoken() throws Exception {
        // Header names are case-insensitive: two map keys, two header lines, in this order.
        Map<String, String> offer = new LinkedHashMap<>();
        offer.put("Sec-WebSocket-Protocol", "chat");
        offer.put("sec-websocket-protocol", "switchboard.v1");
        RawWebSocketClient bob = server.track(RawWebSocketClient.connect(server.port(), "/?userId=bob", offer));

        assertThat(bob.handshakeHeaders()).containsEntry("sec-websocket-protocol", "switchboard.v1");
        assertThat(V1Frame.parse(bob.readText()).type()).isEqualTo("welcome");
    }

    // --- welcome and stream position ----------------------------------------------------------

    @Test
    void the_welcome_seq_is_the_streams_latest_and_the_first_live_message_follows_it() {
        JdkWebSocketClient plainSender = server.plain(null);
        for (int i = 1; i <= 3; i++) {
            plainSender.send("{\"userId\":\"bob\",\"message\":\"before " + i + "\"}");
            assertThat(plainSender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":0}");
        }

        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        alice.send("r1", "bob", "\"live\"");

        assertThat(bob.welcome().number("seq")).isEqualTo(3);
        V1Frame ack = alice.next("ack");
        assertThat(ack.number("seq")).isEqualTo(4);
        V1Frame message = bob.next("message");
        assertThat(message.number("seq")).isEqualTo(4);
        assertThat(message.text("message")).isEqualTo("live");
        bob.assertNothingMore();
    }

    @Test
    void a_send_only_v1_connection_has_no_stream_and_can_send() {
        V1Client sendOnly = server.v1(null);
        V1Client bob = server.v1("bob");

        assertThat(sendOnly.welcome().names()).containsExactly("type", "connectionId", "userId", "epoch", "seq");
        assertThat(sendOnly.welcome().text("userId")).isNull();
        assertThat(sendOnly.welcome().text("epoch")).isNull();
        assertThat(sendOnly.welcome().number("seq")).isZero();
        assertThat(sendOnly.connectionId()).isNotBlank();

        sendOnly.send("r1", "bob", "\"from nobody\"");

        V1Frame ack = sendOnly.next("ack");
        assertThat(ack.number("delivered")).isEqualTo(1);
        V1Frame message = bob.next("message");
        assertThat(message.text("from")).isNull();
        assertThat(message.text("message")).isEqualTo("from nobody");
        sendOnly.assertNothingMore();
    }

    // --- messages and acks ------------------------------------------------------------------

    @Test
    void a_message_carries_its_seq_the_sender_the_exact_json_and_the_servers_time() {
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        long before = System.currentTimeMillis();

        alice.send("r1", "bob", "{\"a\": [1, 2], \"s\": \"\\u00e9\"}");
        alice.send("r2", "bob", "123456789012345678901234567890");
        alice.send("r3", "bob", "-1.5e3");
        alice.send("r4", "bob", "null");
        alice.send("r5", "bob", "\"text\"");

        List<V1Frame> messages = bob.next("message", 5);
        long after = System.currentTimeMillis();
        assertThat(messages).extracting(m -> m.raw("message")).containsExactly(
                "{\"a\":[1,2],\"s\":\"é\"}", "123456789012345678901234567890", "-1.5e3", "null", "\"text\"");
        assertThat(messages).extracting(m -> m.number("seq")).containsExactly(1L, 2L, 3L, 4L, 5L);
        for (V1Frame message : messages) {
            assertThat(message.names()).containsExactly("type", "seq", "from", "message", "ts");
            assertThat(message.text("from")).isEqualTo("alice");
            assertThat(message.number("ts")).isBetween(before, after);
        }
        assertThat(alice.next("ack", 5)).extracting(a -> a.text("id")).containsExactly("r1", "r2", "r3", "r4", "r5");
    }

    @Test
    void the_ack_carries_the_id_the_addressee_the_delivered_count_and_the_seq() {
        V1Client phone = server.v1("bob");
        V1Client laptop = server.v1("bob");
        JdkWebSocketClient pc = server.plain("bob");
        V1Client alice = server.v1("alice");
        eventually().until(() -> server.node().localConnections("bob") == 3);

        alice.send("r1", "bob", "\"one\"");
        alice.send(null, "bob", "\"two\"");

        V1Frame first = alice.next("ack");
        assertThat(first.names()).containsExactly("type", "id", "to", "delivered", "seq");
        assertThat(first.text("id")).isEqualTo("r1");
        assertThat(first.text("to")).isEqualTo("bob");
        assertThat(first.number("delivered")).isEqualTo(3);
        assertThat(first.number("seq")).isEqualTo(1);
        V1Frame second = alice.next("ack");
        assertThat(second.text("id")).isNull();
        assertThat(second.number("seq")).isEqualTo(2);
        // Each v1 connection heard of the ones that joined after it.
        assertThat(phone.next("presence", 2)).extracting(p -> p.number("connections")).containsExactly(2L, 3L);
        assertThat(laptop.next("presence").number("connections")).isEqualTo(3);
        assertThat(phone.next("message", 2)).extracting(m -> m.number("seq")).containsExactly(1L, 2L);
        assertThat(laptop.next("message", 2)).extracting(m -> m.number("seq")).containsExactly(1L, 2L);
        assertThat(pc.next(2)).containsExactly("one", "two");
    }

    @Test
    void a_message_to_an_offline_user_is_acked_with_0_and_recovered_when_the_user_resumes() {
        V1Client bob = server.v1("bob");
        String epoch = bob.epoch();
        bob.close();
        eventually().until(() -> server.node().localConnections("bob") == 0);
        V1Client alice = server.v1("alice");

        alice.send("r1", "bob", "\"while you were out\"");

        V1Frame ack = alice.next("ack");
        assertThat(ack.number("delivered")).isZero();
        assertThat(ack.number("seq")).isEqualTo(1);
        V1Client back = server.track(V1Client.resume(server.port(), "bob", 0, epoch));
        assertThat(back.welcome().bool("recovered")).isTrue();
        assertThat(back.welcome().number("missed")).isEqualTo(1);
        V1Frame missed = back.next("message");
        assertThat(missed.number("seq")).isEqualTo(1);
        assertThat(missed.text("message")).isEqualTo("while you were out");
        assertThat(missed.text("from")).isEqualTo("alice");
        back.assertNothingMore();
    }

    /** One sender, one recipient, 10,000 messages: every one arrives, in order, with contiguous seqs. */
    @Test
    void ten_thousand_messages_from_one_sender_arrive_in_order_with_contiguous_seqs() throws Exception {
        // About 1 MB goes to each side before the test reads it: room for all of it, so that a
        // machine too busy to read promptly does not turn an ordering test into a slow-consumer one.
        server.restartWith(TestServers.bulkConfig().toBuilder().maxOutboundBytes(16 << 20).build());
        int count = 10_000;
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");

        for (int i = 1; i <= count; i++) {
            alice.send("r" + i, "bob", "\"m" + i + "\"");
        }

        for (int i = 1; i <= count; i++) {
            V1Frame message = bob.next();
            assertThat(message.type()).as("frame %d", i).isEqualTo("message");
            assertThat(message.number("seq")).as("seq of message %d", i).isEqualTo(i);
            assertThat(message.text("message")).isEqualTo("m" + i);
        }
        for (int i = 1; i <= count; i++) {
            V1Frame ack = alice.next();
            assertThat(ack.type()).as("frame %d", i).isEqualTo("ack");
            assertThat(ack.text("id")).isEqualTo("r" + i);
            assertThat(ack.number("seq")).isEqualTo(i);
            assertThat(ack.number("delivered")).isEqualTo(1);
        }
        bob.assertNothingMore();
    }

    /** The welcome's seq is where this connection's stream starts, even while messages pour in. */
    @Test
    void connections_joining_a_busy_stream_get_every_message_after_their_welcome_seq() throws Exception {
        server.restartWith(TestServers.bulkConfig());
        V1Client alice = server.v1("alice");
        try (SteadySender sender = SteadySender.start(alice, "bob")) {
            for (int i = 0; i < 20; i++) {
                V1Client bob = V1Client.connect(server.port(), "bob");
                long joinedAt = bob.welcome().number("seq");
                for (long seq = joinedAt + 1; seq <= joinedAt + 10; seq++) {
                    V1Frame message = bob.next();
                    assertThat(message.type()).as("%s after %s", message, bob.welcome()).isEqualTo("message");
                    assertThat(message.number("seq")).as("%s after %s", message, bob.welcome()).isEqualTo(seq);
                    assertThat(message.text("message")).isEqualTo("m" + seq);
                }
                bob.close(); // unregistered before it returns: the next one hears of no other connection
            }
            assertThat(sender.stop()).isGreaterThanOrEqualTo(200);
        }
    }

    // --- ping, binary -----------------------------------------------------------------------

    @Test
    void a_ping_is_answered_with_a_pong_carrying_its_id() {
        V1Client alice = server.v1("alice");

        alice.ping("r3");
        alice.sendText("{\"type\":\"ping\"}");

        V1Frame pong = alice.next("pong");
        assertThat(pong.names()).containsExactly("type", "id");
        assertThat(pong.text("id")).isEqualTo("r3");
        assertThat(alice.next("pong").text("id")).isNull();
        // The WebSocket-level ping is answered as in plain mode.
        alice.socket().ping("hb".getBytes(StandardCharsets.UTF_8));
        assertThat(alice.socket().nextPong()).isEqualTo("hb".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_binary_frame_holding_a_v1_request_works_like_a_text_frame() {
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");

        alice.sendBinary(V1Client.sendRequest("r1", "bob", "\"über binary\"", false).getBytes(StandardCharsets.UTF_8));
        alice.sendBinary("{\"type\":\"ping\",\"id\":\"r2\"}".getBytes(StandardCharsets.UTF_8));

        V1Frame ack = alice.next("ack");
        assertThat(ack.text("id")).isEqualTo("r1");
        assertThat(ack.number("delivered")).isEqualTo(1);
        assertThat(alice.next("pong").text("id")).isEqualTo("r2");
        assertThat(bob.next("message").text("message")).isEqualTo("über binary");
        assertThat(alice.socket().binaryMessagesReceived()).isZero();
    }

    // --- metrics ----------------------------------------------------------------------------

    @Test
    void metrics_count_v1_frames_sends_deliveries_and_errors() throws Exception {
        V1Client phone = server.v1("bob");
        V1Client laptop = server.v1("bob");
        V1Client alice = server.v1("alice");
        PrometheusText before = Http.metrics(server.port());

        for (int i = 1; i <= 3; i++) {
            alice.send("r" + i, "bob", "\"m" + i + "\"");
            assertThat(alice.next("ack").number("delivered")).isEqualTo(2);
        }
        alice.send("r4", "nobody", "\"hello?\"");
        assertThat(alice.next("ack").number("delivered")).isZero();
        alice.sendText("oops");
        assertThat(alice.next("error").text("code")).isEqualTo("invalid_json");
        alice.sendText("{\"type\":\"send\",\"id\":\"r5\",\"message\":\"to whom?\"}");
        assertThat(alice.next("error").text("code")).isEqualTo("missing_user_id");
        alice.presence("r6", "bob");
        assertThat(alice.next("presence").number("connections")).isEqualTo(2);
        alice.ping("r7");
        alice.next("pong");
        phone.next("presence");
        phone.next("message", 3);
        laptop.next("message", 3);

        PrometheusText after = Http.metrics(server.port());
        assertThat(after.value("switchboard_connections")).isEqualTo(3);
        assertThat(after.value("switchboard_users_online")).isEqualTo(2);
        assertMoved(before, after, "switchboard_frames_received_total", 8);
        assertMoved(before, after, "switchboard_messages_routed_total", 4);
        assertMoved(before, after, "switchboard_messages_delivered_total", 6);
        assertMoved(before, after, "switchboard_messages_offline_total", 1);
        assertMoved(before, after, "switchboard_errors_total{code=\"invalid_json\"}", 1);
        assertMoved(before, after, "switchboard_errors_total{code=\"missing_user_id\"}", 1);
        assertMoved(before, after, "switchboard_route_latency_seconds_count", 4);
    }

    static void assertMoved(PrometheusText before, PrometheusText after, String series, double by) {
        double was = before.find(series).orElse(0);
        assertThat(after.value(series) - was).as(series).isCloseTo(by, within(1e-9));
    }
}
