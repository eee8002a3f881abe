package dev.switchboard.transport.it;

import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.LiveServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Rule 4, first half: a frame the protocol cannot use is answered with
 * {@code {"error":"<text>","code":"<code>"}}, nothing is delivered, and the connection stays open
 * and usable. (The seed answered some of these with a bare exception message, or crashed.)
 */
class ErrorFramesTest {
    @RegisterExtension
    final LiveServer server = new LiveServer();
    private JdkWebSocketClient bob;
    private JdkWebSocketClient sender;

    @BeforeEach
    void connect() throws Exception {
        bob = server.track(JdkWebSocketClient.connect(server.port(), "bob"));
        sender = server.track(JdkWebSocketClient.connect(server.port(), "alice"));
        eventually().until(() -> server.node().connectionCount() == 2);
    }

    static Stream<Arguments> badFrames() {
        return Stream.of(
                arguments("hello", "invalid_json"),
                arguments("", "invalid_json"),
                arguments("   ", "invalid_json"),
                arguments("{\"userId\":\"bob\",\"message\":\"x\"", "invalid_json"),
                arguments("{\"userId\":\"bob\",\"message\":\"x\"} {}", "invalid_json"),
                arguments("{\"userId\":\"bob\",\"message\":\"x\"}]", "invalid_json"),
                arguments("{'userId':'bob','message':'x'}", "invalid_json"),
                arguments("{\"userId\":\"bob\",\"message\":undefined}", "invalid_json"),
                arguments("{\"userId\":\"bob\",\"message\":NaN}", "invalid_json"),
                arguments("{\"userId\":\"bob\",\"message\":\"x\",}", "invalid_json"),
                arguments("[{\"userId\":\"bob\",\"message\":\"x\"}]", "invalid_message"),
                arguments("\"{\\\"userId\\\":\\\"bob\\\"}\"", "invalid_message"),
                arguments("42", "invalid_message"),
                arguments("null", "invalid_message"),
                arguments("true", "invalid_message"),
                arguments("{\"message\":\"x\"}", "missing_user_id"),
                arguments("{\"userId\":\"\",\"message\":\"x\"}", "missing_user_id"),
                arguments("{\"userId\":null,\"message\":\"x\"}", "missing_user_id"),
                arguments("{}", "missing_user_id"),
                arguments("{\"userId\":42,\"message\":\"x\"}", "invalid_user_id"),
                arguments("{\"userId\":true,\"message\":\"x\"}", "invalid_user_id"),
                arguments("{\"userId\":[\"bob\"],\"message\":\"x\"}", "invalid_user_id"),
                arguments("{\"userId\":{\"id\":\"bob\"},\"message\":\"x\"}", "invalid_user_id"),
                arguments("{\"userId\":\"bob\"}", "missing_message"),
                arguments("{\"userId\":\"bob\",\"msg\":\"x\"}", "missing_message"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("badFrames")
    void a_bad_text_frame_gets_an_error_frame_and_the_connection_stays_usable(String frame, String code) {
        sender.send(frame);

        assertErrorFrame(sender.next(), code);
        assertStillUsable();
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("badFrames")
    void a_bad_binary_frame_gets_the_same_error_frame(String frame, String code) {
        sender.sendBinary(frame.getBytes(StandardCharsets.UTF_8));

        assertErrorFrame(sender.next(), code);
        assertStillUsable();
    }

    @Test
    void invalid_json_errors_carry_the_parsers_reason() {
        sender.send("hello");
        sender.send("{\"userId\":\"bob\",\"message\":");

        String unrecognized = error(sender.next(), "invalid_json");
        String truncated = error(sender.next(), "invalid_json");
        assertThat(unrecognized).startsWith("invalid JSON").contains("hello");
        assertThat(truncated).startsWith("invalid JSON").containsIgnoringCase("end-of-input");
        assertStillUsable();
    }

    @Test
    void invalid_utf8_inside_a_binary_frame_is_invalid_json_not_a_close() {
        // Text frames are UTF-8-checked by the WebSocket layer (1007); binary ones reach the parser.
        byte[] frame = concat("{\"userId\":\"bob\",\"message\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, 0x28}, "\"}".getBytes(StandardCharsets.UTF_8));
        sender.sendBinary(frame);

        error(sender.next(), "invalid_json");
        assertStillUsable();
    }

    @Test
    void many_bad_frames_in_a_row_each_get_their_own_error_in_order() throws Exception {
        RawWebSocketClient raw = server.track(RawWebSocketClient.connect(server.port(), "/"));
        List<String> frames = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        badFrames().forEach(arguments -> {
            frames.add((String) arguments.get()[0]);
            codes.add((String) arguments.get()[1]);
        });

        raw.sendTexts(frames);

        for (int i = 0; i < frames.size(); i++) {
            assertErrorFrame(raw.readText(), codes.get(i));
        }
        raw.sendText("{\"userId\":\"bob\",\"message\":\"after the storm\"}");
        assertThat(raw.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("after the storm");
    }

    /** The connection still routes, and the bad frame delivered nothing to anyone before this. */
    private void assertStillUsable() {
        sender.send("{\"userId\":\"bob\",\"message\":\"still works\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("still works");
        assertThat(server.node().connectionCount()).isEqualTo(2);
    }

    private static void assertErrorFrame(String frame, String code) {
        error(frame, code);
    }

    /** Checks the frame is exactly {@code {"error":text,"code":code}} and returns the text. */
    private static String error(String frame, String code) {
        Map<String, Object> members = JsonObjects.parseFlat(frame);
        assertThat(members).as(frame).containsOnlyKeys("error", "code");
        assertThat(members.get("code")).as(frame).isEqualTo(code);
        assertThat(members.get("error")).as(frame).isInstanceOf(String.class);
        assertThat((String) members.get("error")).as(frame).isNotBlank();
        return (String) members.get("error");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
