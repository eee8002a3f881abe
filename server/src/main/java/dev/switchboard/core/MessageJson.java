package dev.switchboard.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.util.Arrays;

/**
 * The JSON settings every inbound document is read with, and the reading of a {@code message}
 * value into a {@link Message}. Shared by the WebSocket protocols and the HTTP API so both accept
 * exactly the same messages. Thread-safe.
 */
public final class MessageJson {
    /** How deep a message may nest. */
    public static final int MAX_NESTING_DEPTH = 128;

    /** The factory for inbound JSON: bounded nesting, Jackson's defaults otherwise. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();

    private MessageJson() {
    }

    /**
     * Reads the value at the parser's current token ({@code value}) as a message: a string keeps its
     * decoded text, anything else is copied as compact JSON. Leaves the parser on the value's last
     * token.
     */
    public static Message read(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return Message.ofString(parser.getText());
        }
        ByteArrayBuilder out = new ByteArrayBuilder(64);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            copyStructure(parser, generator);
        }
        return Message.ofJson(out.toByteArray());
    }

    /**
     * Like {@link #read(JsonParser, JsonToken)}, for a parser made over {@code input[offset, end)}:
     * a string without escapes is taken from the input as it is, already UTF-8, so it is never
     * decoded to chars and encoded back (a 60 KB message saved three copies of itself). The parser
     * checks the string's syntax when it moves past it; its bytes are checked here, strictly.
     */
    public static Message read(JsonParser parser, JsonToken value, byte[] input, int offset, int end)
            throws IOException {
        if (value == JsonToken.VALUE_STRING && parser instanceof UTF8StreamJsonParser) {
            long at = parser.currentTokenLocation().getByteOffset();
            int quote = at < 0 || at >= end - offset ? -1 : offset + (int) at;
            if (quote >= 0 && input[quote] == '"') {
                for (int i = quote + 1; i < end; i++) {
                    byte b = input[i];
                    if (b == '"') {
                        if (!Utf8.isValid(input, quote + 1, i)) {
                            break; // the decoding path reports it as the parser sees it
                        }
                        return Message.ofString(Arrays.copyOfRange(input, quote + 1, i));
                    }
                    if (b == '\\') {
                        break;
                    }
                }
            }
        }
        return read(parser, value);
    }

    /**
     * Like {@link JsonGenerator#copyCurrentStructure}, but numbers keep the sender's text: that copy
     * goes through {@code double}, which rounds {@code 0.1000000000000000055511151231257827} and
     * turns {@code 1e400} into the string {@code "Infinity"}. The parser has validated the text.
     */
    private static void copyStructure(JsonParser parser, JsonGenerator generator) throws IOException {
        int depth = 0;
        JsonToken token = parser.currentToken();
        do {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                generator.writeNumber(parser.getText());
            } else {
                generator.copyCurrentEvent(parser);
            }
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            }
        } while (depth > 0 && (token = parser.nextToken()) != null);
    }
}
