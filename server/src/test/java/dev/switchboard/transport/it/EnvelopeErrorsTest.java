package dev.switchboard.transport.it;

import dev.switchboard.auth.SendPolicy;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every error code of docs/PROTOCOL.md in its v1 form {@code {"type":"error","id","code","error"}},
 * the request's id echoed whenever it could be read, and the connection open and usable after it.
 */
class EnvelopeErrorsTest {
    @RegisterExtension
    final LiveServer server = new LiveServer();
    private V1Client bob;
    private V1Client alice;

    @BeforeEach
    void connect() {
        bob = server.v1("bob");
        alice = server.v1("alice");
    }

    private void restartWith(ServerConfig config) throws Exception {
        server.restartWith(config);
        connect();
    }

    static Stream<Arguments> badRequests() {
        String tooLong = "x".repeat(257);
        return Stream.of(
                arguments("hello", "invalid_json", null),
                arguments("", "invalid_json", null),
                arguments("{\"type\":\"send\",\"id\":\"r1\",\"to\":\"bob\",\"message\":\"x\"", "invalid_json", "r1"),
                arguments("{\"type\":\"ping\",\"id\":\"r2\"} {}", "invalid_json", "r2"),
                arguments("{\"type\":\"send\",\"id\":\"r3\",\"to\":\"bob\",\"message\":NaN}", "invalid_json", "r3"),
                arguments("[{\"type\":\"ping\",\"id\":\"r4\"}]", "invalid_message", null),
                arguments("42", "invalid_message", null),
                arguments("null", "invalid_message", null),
                arguments("{\"id\":\"r5\"}", "invalid_message", "r5"),
                arguments("{\"type\":\"shout\",\"id\":\"r6\"}", "invalid_message", "r6"),
                arguments("{\"type\":42,\"id\":\"r7\"}", "invalid_message", "r7"),
                arguments("{\"type\":\"send\",\"id\":7,\"to\":\"bob\",\"message\":\"x\"}", "invalid_message", null),
                arguments("{\"type\":\"send\",\"id\":\"r8\",\"to\":\"bob\",\"message\":\"x\",\"receipt\":\"yes\"}",
                        "invalid_message", "r8"),
                arguments("{\"type\":\"received\",\"id\":\"r9\"}", "invalid_message", "r9"),
                arguments("{\"type\":\"received\",\"id\":\"r10\",\"seq\":0}", "invalid_message", "r10"),
                arguments("{\"type\":\"received\",\"id\":\"r11\",\"seq\":-3}", "invalid_message", "r11"),
                arguments("{\"type\":\"received\",\"id\":\"r12\",\"seq\":\"3\"}", "invalid_message", "r12"),
                arguments("{\"type\":\"received\",\"id\":\"r13\",\"seq\":1.5}", "invalid_message", "r13"),
                arguments("{\"type\":\"received\",\"id\":\"r14\",\"seq\":99999999999999999999}", "invalid_message", "r14"),
                arguments("{\"type\":\"send\",\"id\":\"r15\",\"message\":\"x\"}", "missing_user_id", "r15"),
                arguments("{\"type\":\"send\",\"id\":\"r16\",\"to\":\"\",\"message\":\"x\"}", "missing_user_id", "r16"),
                arguments("{\"type\":\"send\",\"id\":\"r17\",\"to\":null,\"message\":\"x\"}", "missing_user_id", "r17"),
                arguments("{\"type\":\"presence\",\"id\":\"r18\"}", "missing_user_id", "r18"),
                arguments("{\"type\":\"presence\",\"id\":\"r19\",\"user\":\"\"}", "missing_user_id", "r19"),
                arguments("{\"type\":\"send\",\"id\":\"r20\",\"to\":42,\"message\":\"x\"}", "invalid_user_id", "r20"),
                arguments("{\"type\":\"send\",\"id\":\"r21\",\"to\":\"" + tooLong + "\",\"message\":\"x\"}",
                        "invalid_user_id", "r21"),
                arguments("{\"type\":\"presence\",\"id\":\"r22\",\"user\":[\"bob\"]}", "invalid_user_id", "r22"),
                arguments("{\"type\":\"send\",\"id\":\"r23\",\"to\":\"bob\"}", "missing_message", "r23"),
                arguments("{\"type\":\"send\",\"id\":\"r24\",\"to\":\"bob\",\"msg\":\"x\"}", "missing_message", "r24"));
    }

    @ParameterizedTest(name = "[{index}] {1}, id {2}: {0}")
    @MethodSource("badRequests")
    void a_bad_request_gets_a_v1_error_with_its_id_and_the_connection_stays_usable(String frame, String code,
                                                                                      String id) {
        alice.sendText(frame);

        assertError(alice.next(), code, id);
        assertStillUsable(1);
    }

    /** The same frames as binary messages, back to back on one connection: one error each, in order. */
    @Test
    void bad_requests_in_binary_frames_get_the_same_errors_in_order() {
        List<Arguments> cases = badRequests().toList();
        for (Arguments request : cases) {
            alice.sendBinary(((String) request.get()[0]).getBytes(StandardCharsets.UTF_8));
        }

        for (Arguments request : cases) {
            assertError(alice.next(), (String) request.get()[1], (String) request.get()[2]);
        }
        assertStillUsable(1);
    }

    @Test
    void invalid_utf8_inside_a_binary_frame_is_invalid_json() {
        byte[] head = "{\"type\":\"send\",\"id\":\"r1\",\"to\":\"bob\",\"message\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[head.length + 4];
        System.arraycopy(head, 0, frame, 0, head.length);
        frame[head.length] = (byte) 0xC3;
        frame[head.length + 1] = 0x28;
        frame[head.length + 2] = '"';
        frame[head.length + 3] = '}';

        alice.sendBinary(frame);

        assertThat(alice.next("error").text("code")).isEqualTo("invalid_json");
        assertStillUsable(1);
    }

    @Test
    void the_send_policy_refuses_sends_and_presence_queries_as_forbidden() throws Exception {
        restartWith(TestServers.config().toBuilder().sendPolicy(SendPolicy.SELF).build());
        V1Client sendOnly = server.track(V1Client.connect(server.port(), null));

        alice.send("s1", "bob", "\"hi bob\"");
        alice.presence("q1", "bob");
        sendOnly.send("s2", "alice", "\"hi\"");

        assertError(alice.next(), "forbidden", "s1");
        assertError(alice.next(), "forbidden", "q1");
        assertError(sendOnly.next(), "forbidden", "s2");
        alice.send("s3", "alice", "\"to myself\"");
        assertThat(alice.next("message").text("message")).isEqualTo("to myself");
        assertThat(alice.next("ack").text("id")).isEqualTo("s3");
        bob.assertNothingMore();
    }

    @Test
    void over_the_rate_limit_a_request_is_refused_as_rate_limited_naming_it() throws Exception {
        ManualClock clock = new ManualClock();
        server.restartWith(TestServers.config().toBuilder().maxMessagesPerSecond(1).messageBurst(3).build(),
                clock, new ManualScheduler());
        connect();

        for (int i = 1; i <= 3; i++) {
            alice.ping("p" + i);
            assertThat(alice.next("pong").text("id")).isEqualTo("p" + i);
        }
        alice.send("s1", "bob", "\"one too many\"");
        V1Frame refused = alice.next();
        assertError(refused, "rate_limited", "s1");
        assertThat(refused.text("error")).contains("1 per second");

        clock.advance(Duration.ofSeconds(1));
        alice.send("s2", "bob", "\"after a second\"");
        assertThat(alice.next("ack").text("id")).isEqualTo("s2");
        assertThat(bob.next("message").text("message")).isEqualTo("after a second");

        // More refusals in a row than the burst: closed with 1008, as in plain mode.
        for (int i = 1; i <= 2; i++) {
            alice.ping("q" + i);
            assertError(alice.next(), "rate_limited", "q" + i);
        }
        alice.sendText("{not json");
        assertError(alice.next(), "rate_limited", null); // no id to name
        alice.ping("q4");
        assertThat(alice.socket().awaitClose()).isEqualTo(new CloseStatus(1008, "rate limit exceeded"));
        assertThat(alice.pending()).isEmpty();
    }

    /** The broker going away is the failure a client can meet: the send is refused, retrying is safe. */
    @Test
    void a_send_the_broker_cannot_take_is_an_internal_error_and_the_connection_stays_open() {
        server.node().close();

        alice.send("s1", "bob", "\"lost?\"");

        assertError(alice.next(), "internal_error", "s1");
        alice.assertNothingMore();
        bob.assertNothingMore();
    }

    /**
     * {@code "\ud800"} is valid JSON for a string holding an unpaired surrogate. Such an id or user
     * id is readable, so it is echoed — as the same escape — and nothing closes the connection.
     */
    @Test
    void an_id_or_user_id_holding_an_unpaired_surrogate_is_echoed_and_the_connection_stays_open() {
        JdkWebSocketClient plain = server.track(JdkWebSocketClient.connect(server.port(), null));

        alice.sendText("{\"type\":\"ping\",\"id\":\"\\ud800\"}");
        alice.sendText("{\"type\":\"send\",\"id\":\"r1\\udc00\",\"to\":\"\\udfff\",\"message\":\"x\"}");
        alice.sendText("{\"type\":\"shout\",\"id\":\"\\ud800\"}");
        plain.send("{\"userId\":\"\\ud800\",\"message\":\"x\"}");

        assertThat(alice.next("pong").text("id")).isEqualTo("\ud800");
        V1Frame ack = alice.next("ack");
        assertThat(ack.text("id")).isEqualTo("r1\udc00");
        assertThat(ack.text("to")).isEqualTo("\udfff");
        assertThat(ack.number("delivered")).isZero();
        assertError(alice.next(), "invalid_message", "\ud800");
        assertThat(plain.next()).isEqualTo("{\"userId\":\"\\ud800\",\"delivered\":0}");
        assertStillUsable(1);
    }

    private static void assertError(V1Frame frame, String code, String id) {
        assertThat(frame.names()).as("%s", frame).containsExactly("type", "id", "code", "error");
        assertThat(frame.type()).isEqualTo("error");
        assertThat(frame.text("code")).as("%s", frame).isEqualTo(code);
        assertThat(frame.text("id")).as("%s", frame).isEqualTo(id);
        assertThat(frame.text("error")).isNotBlank();
    }

    /** The connection still sends, and the bad requests delivered nothing to anyone before this. */
    private void assertStillUsable(long expectedSeq) {
        alice.send("ok", "bob", "\"still works\"");
        V1Frame ack = alice.next("ack");
        assertThat(ack.text("id")).isEqualTo("ok");
        assertThat(ack.number("seq")).isEqualTo(expectedSeq);
        V1Frame message = bob.next("message");
        assertThat(message.text("message")).isEqualTo("still works");
        assertThat(message.number("seq")).isEqualTo(expectedSeq);
    }
}
