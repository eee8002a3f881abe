package dev.switchboard.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;

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
