package dev.switchboard.transport.it;

import dev.switchboard.server.ServerConfig;
import dev.switchboard.transport.TransportOptions;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.switchboard.testing.Eventually.eventually;
import static dev.switchboard.testing.RawWebSocketClient.BINARY;
import static dev.switchboard.testing.RawWebSocketClient.CLOSE;
import static dev.switchboard.testing.RawWebSocketClient.CONTINUATION;
import static dev.switchboard.testing.RawWebSocketClient.PING;
import static dev.switchboard.testing.RawWebSocketClient.TEXT;
import static dev.switchboard.testing.RawWebSocketClient.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Rule 4, second half: what closes a connection. A frame or fragmented message over
 * {@code --max-message-bytes} closes with 1009, invalid UTF-8 in a text message with 1007, a
 * WebSocket protocol violation with 1002. Each time the server then drops the TCP connection, the
 * connection leaves every count, and nothing of the offending message is delivered.
 */
class CloseCodesTest {
    private static final int LIMIT = TransportOptions.DEFAULT_MAX_MESSAGE_BYTES;

    @RegisterExtension
    final LiveServer server = new LiveServer();
    private JdkWebSocketClient bob;

    @BeforeEach
    void start() throws Exception {
        bob = server.track(JdkWebSocketClient.connect(server.port(), "bob"));
    }

    /** A raw client registered as carol, so a test can see it leave the registry. */
    private RawWebSocketClient carol() throws Exception {
        RawWebSocketClient carol = server.track(RawWebSocketClient.connect(server.port(), "/?userId=carol"));
        eventually().until(() -> server.node().localConnections("carol") == 1);
        return carol;
    }

    /** {@code {"userId":"bob","message":"xxx…"}} of exactly {@code size} bytes. */
    static byte[] sendOfSize(int size) {
        String head = "{\"userId\":\"bob\",\"message\":\"";
        String tail = "\"}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    // --- 1009: too big -----------------------------------------------------------------------

    @Test
    void a_text_frame_of_exactly_the_limit_is_accepted() throws Exception {
        RawWebSocketClient carol = carol();
        byte[] send = sendOfSize(LIMIT);
        assertThat(send).hasSize(65_536);

        carol.sendText(send);

        assertThat(carol.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).hasSize(LIMIT - "{\"userId\":\"bob\",\"message\":\"\"}".length()).matches("x+");
    }

    @Test
    void a_text_frame_one_byte_over_the_limit_closes_with_1009() throws Exception {
        RawWebSocketClient carol = carol();

        carol.sendText(sendOfSize(LIMIT + 1));

        assertClosedWith(carol, 1009);
        assertNothingDeliveredToBob();
    }

    @Test
    void a_binary_frame_one_byte_over_the_limit_closes_with_1009() throws Exception {
        RawWebSocketClient carol = carol();

        carol.sendBinary(sendOfSize(LIMIT + 1));

        assertClosedWith(carol, 1009);
        assertNothingDeliveredToBob();
    }

    @Test
    void a_fragmented_message_of_exactly_the_limit_is_accepted() throws Exception {
        RawWebSocketClient carol = carol();
        byte[] send = sendOfSize(LIMIT);

        carol.sendRaw(concat(
                frame(false, TEXT, Arrays.copyOfRange(send, 0, 30_000)),
                frame(false, CONTINUATION, Arrays.copyOfRange(send, 30_000, 60_000)),
                frame(true, CONTINUATION, Arrays.copyOfRange(send, 60_000, send.length))));

        assertThat(carol.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).hasSize(LIMIT - "{\"userId\":\"bob\",\"message\":\"\"}".length());
    }

    @Test
    void a_fragmented_message_whose_total_exceeds_the_limit_closes_with_1009() throws Exception {
        RawWebSocketClient carol = carol();
        byte[] send = sendOfSize(LIMIT + 1);

        // Every fragment is small; only the total is too big.
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int offset = 0; offset < send.length; offset += 1_000) {
            int end = Math.min(send.length, offset + 1_000);
            frames.writeBytes(frame(end == send.length, offset == 0 ? TEXT : CONTINUATION,
                    Arrays.copyOfRange(send, offset, end)));
        }
        carol.sendRaw(frames.toByteArray());

        assertClosedWith(carol, 1009);
        assertNothingDeliveredToBob();
    }

    @Test
    void a_real_client_sending_a_message_over_the_limit_sees_1009() throws Exception {
        JdkWebSocketClient dave = server.track(JdkWebSocketClient.connect(server.port(), "dave"));

        dave.send(new String(sendOfSize(LIMIT + 1), StandardCharsets.UTF_8));

        assertThat(dave.awaitClose().code()).isEqualTo(1009);
        eventually().until(() -> server.node().localConnections("dave") == 0);
        assertNothingDeliveredToBob();
    }

    @Test
    void the_limit_follows_max_message_bytes() throws Exception {
        try (SwitchboardServer small = TestServers.start(
                TestServers.config().toBuilder().maxMessageBytes(1024).build())) {
            try (RawWebSocketClient raw = RawWebSocketClient.connect(small.port(), "/")) {
                raw.sendText(sendOfSize(1024));
                assertThat(raw.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":0}");
                raw.sendText(sendOfSize(1025));
                assertThat(raw.awaitClose().code()).isEqualTo(1009);
            }
        }
    }

    // --- 1007: invalid UTF-8 in a text message ----------------------------------------------

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                arguments("a lone continuation byte", new byte[] {(byte) 0x80}),
                arguments("a lead byte without its continuation", new byte[] {(byte) 0xC3, 0x28}),
                arguments("an overlong '/'", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                arguments("a UTF-16 surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                arguments("a code point above U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
                arguments("the byte 0xFF", new byte[] {(byte) 0xFF}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalid_utf8_in_a_text_frame_closes_with_1007(String what, byte[] invalid) throws Exception {
        RawWebSocketClient carol = carol();

        carol.sendText(concat("{\"userId\":\"bob\",\"message\":\"".getBytes(StandardCharsets.UTF_8),
                invalid, "\"}".getBytes(StandardCharsets.UTF_8)));

        assertClosedWith(carol, 1007);
        assertNothingDeliveredToBob();
    }

    @Test
    void a_text_message_whose_last_fragment_ends_inside_a_character_closes_with_1007() throws Exception {
        RawWebSocketClient carol = carol();
        byte[] chinese = "铁".getBytes(StandardCharsets.UTF_8); // 3 bytes

        carol.sendRaw(concat(
                frame(false, TEXT, "{\"userId\":\"bob\",\"message\":\"".getBytes(StandardCharsets.UTF_8)),
                frame(true, CONTINUATION, Arrays.copyOf(chinese, 2))));

        assertClosedWith(carol, 1007);
        assertNothingDeliveredToBob();
    }

    // --- 1002: protocol violations ----------------------------------------------------------

    static Stream<Arguments> protocolViolations() {
        byte[] send = "{\"userId\":\"bob\",\"message\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                arguments("an unmasked client frame", frame(true, 0, TEXT, send, false)),
                arguments("a ping with a 126-byte payload", frame(true, PING, new byte[126])),
                arguments("a fragmented ping", frame(false, PING, new byte[] {1})),
                arguments("RSV1 set without an extension", frame(true, 4, TEXT, send, true)),
                arguments("RSV3 set", frame(true, 1, BINARY, send, true)),
                arguments("reserved data opcode 0x3", frame(true, 0x3, send)),
                arguments("reserved control opcode 0xB", frame(true, 0xB, new byte[0])),
                arguments("a continuation with no message started", frame(true, CONTINUATION, send)),
                arguments("a new message inside a fragmented one",
                        concat(frame(false, TEXT, Arrays.copyOf(send, 5)), frame(true, TEXT, send))),
                arguments("a close frame with a 1-byte payload", frame(true, CLOSE, new byte[] {3})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolViolations")
    void a_protocol_violation_closes_with_1002(String what, byte[] bytes) throws Exception {
        RawWebSocketClient carol = carol();

        carol.sendRaw(bytes);

        assertClosedWith(carol, 1002);
        assertNothingDeliveredToBob();
    }

    /**
     * The close frame must not overtake the unregistering: once a client has its 1002, 1007 or
     * 1009, no count may include it. (When the codec sent the close frame itself and the session
     * heard of it afterwards, most clients here were still registered when their close arrived.)
     */
    @Test
    void a_connection_closed_for_bad_input_is_unregistered_before_its_close_frame_arrives() throws Exception {
        List<String> stillRegistered = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String user = "closer-" + i;
            try (RawWebSocketClient client = RawWebSocketClient.connect(server.port(), "/?userId=" + user)) {
                switch (i % 3) {
                    case 0 -> client.sendRaw(frame(true, 0, TEXT, new byte[] {'x'}, false));
                    case 1 -> client.sendText(new byte[] {(byte) 0xC3, 0x28});
                    default -> client.sendText(new byte[LIMIT + 1]);
                }
                int code = client.awaitClose().code();
                if (server.node().localConnections(user) != 0) {
                    stillRegistered.add(user + " after " + code);
                }
            }
        }
        assertThat(stillRegistered).isEmpty();
        assertThat(server.node().users()).isEqualTo(1);
    }

    static Stream<Arguments> invalidCloseCodes() {
        return Stream.of(
                arguments("1005 (no status: never on the wire)", 1005),
                arguments("1006 (abnormal: never on the wire)", 1006),
                arguments("999 (below the range)", 999),
                arguments("2000 (reserved for WebSocket extensions)", 2000));
    }

    /**
     * After a close frame the closing handshake has begun, so RFC 6455 (7.1.7) lets the server fail
     * the connection by dropping TCP; it may send 1002 first. It must not echo the invalid code.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCloseCodes")
    void a_close_frame_with_an_invalid_code_fails_the_connection(String what, int code) throws Exception {
        RawWebSocketClient carol = carol();

        carol.sendRaw(frame(true, CLOSE, new byte[] {(byte) (code >>> 8), (byte) code}));

        List<RawWebSocketClient.Frame> received = new ArrayList<>();
        try {
            while (true) {
                received.add(carol.readFrame());
            }
        } catch (java.io.EOFException | java.net.SocketException endOfStream) {
            // the server dropped the connection: what we expect after at most a 1002 close
        }
        assertThat(received).allSatisfy(frame -> {
            assertThat(frame.opcode()).isEqualTo(CLOSE);
            assertThat(frame.closeCode()).isEqualTo(1002);
        });
        assertThat(received).hasSizeLessThanOrEqualTo(1);
        eventually().until(() -> server.node().localConnections("carol") == 0);
        assertThat(server.node().connectionCount()).isEqualTo(1);
        assertNothingDeliveredToBob();
    }

    /**
     * The close frame carries {@code code}, the server then drops the TCP connection, and the
     * connection is gone from every count.
     */
    private void assertClosedWith(RawWebSocketClient client, int code) throws Exception {
        CloseStatus close = client.awaitClose();
        assertThat(close.code()).as("close code (reason: %s)", close.reason()).isEqualTo(code);
        // At once: the connection was unregistered before its close frame was sent.
        assertThat(server.node().localSessions("carol")).isEmpty();
        assertThat(server.node().users()).isEqualTo(1);
        assertThat(server.node().connectionCount()).isEqualTo(1);
        assertThat(client.awaitEndOfStream()).as("the server closed the TCP connection").isTrue();
    }

    /** Bob's next message is the marker sent now: nothing of the offending message reached him. */
    private void assertNothingDeliveredToBob() throws Exception {
        try (RawWebSocketClient marker = RawWebSocketClient.connect(server.port(), "/")) {
            marker.sendText("{\"userId\":\"bob\",\"message\":\"marker\"}");
            assertThat(marker.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        }
        assertThat(bob.next()).isEqualTo("marker");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
