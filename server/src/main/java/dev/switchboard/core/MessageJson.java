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
            generator.copyCurrentStructure(parser);
        }
        return Message.ofJson(out.toByteArray());
    }
}
