package dev.switchboard.core;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The message value read from the frame's bytes (strings without escapes taken verbatim) is the
 * same message the decoding path reads, for every kind of value, wherever the document sits in its
 * array; and what the decoding path refuses is still refused.
 */
class MessageJsonTest {

    /** Reads {"a":1,"message":<value>,"z":true} placed at an offset in a larger array. */
    private static Message readAt(String value, boolean verbatim) throws IOException {
        byte[] doc = ("{\"a\":1,\"message\":" + value + ",\"z\":true}").getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[doc.length + 10];
        java.util.Arrays.fill(frame, (byte) '"'); // junk around the document must not be read
        System.arraycopy(doc, 0, frame, 7, doc.length);
        try (JsonParser parser = MessageJson.FACTORY.createParser(frame, 7, doc.length)) {
            Message message = null;
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            String field;
            while ((field = parser.nextFieldName()) != null) {
                JsonToken token = parser.nextToken();
                if (field.equals("message")) {
                    message = verbatim ? MessageJson.read(parser, token, frame, 7, 7 + doc.length)
                            : MessageJson.read(parser, token);
                } else {
                    parser.skipChildren();
                }
            }
            assertThat(parser.nextToken()).isNull();
            return message;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"hi\"", "\"\"", "\"铁路 😀\"", "\"tab\\there\"", "\"quote \\\" inside\"", "\"\\u00e9\"",
            "\"a\\\\\"", "{\"k\":[1,2.50,\"x\"]}", "[]", "12.000", "null", "true", "\"x\"  "})
    void reads_the_same_message_as_the_decoding_path(String value) throws IOException {
        Message verbatim = readAt(value, true);
        Message decoded = readAt(value, false);
        assertThat(verbatim).isEqualTo(decoded);
        assertThat(verbatim.isString()).isEqualTo(decoded.isString());
        assertThat(verbatim.json()).isEqualTo(decoded.json());
    }

    @Test
    void a_long_plain_string_is_taken_as_it_is() throws IOException {
        String text = "words as they are spoken ".repeat(2_400);
        assertThat(new String(readAt("\"" + text + "\"", true).text(), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void a_raw_control_character_is_still_refused() {
        assertThatThrownBy(() -> readAt("\"line\nbreak\"", true)).isInstanceOf(JsonParseException.class);
    }

    @Test
    void invalid_utf8_is_never_kept_as_it_is() throws IOException {
        byte[] doc = concat("{\"message\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}");
        try (JsonParser parser = MessageJson.FACTORY.createParser(doc, 0, doc.length)) {
            parser.nextToken();
            parser.nextFieldName();
            JsonToken token = parser.nextToken();
            Message m = MessageJson.read(parser, token, doc, 0, doc.length);
            assertThat(Utf8.isValid(m.text(), 0, m.text().length)).isTrue();
        } catch (JsonParseException refused) {
            // Refusing it is as good as repairing it.
        }
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(middle, 0, all, h.length, middle.length);
        System.arraycopy(t, 0, all, h.length + middle.length, t.length);
        return all;
    }
}
