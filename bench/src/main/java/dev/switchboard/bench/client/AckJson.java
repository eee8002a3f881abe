package dev.switchboard.bench.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Reads the {@code delivered} count from an ack object such as {@code {"userId":"bob","delivered":2}}. */
final class AckJson {

    /** Returned when the object has no {@code delivered} count (an error answer, or garbage). */
    static final int NOT_AN_ACK = -1;

    private static final JsonFactory JSON = new JsonFactory();

    private AckJson() {
    }

    /** Parses the first JSON object found in {@code bytes[offset..]}. */
    static int delivered(byte[] bytes, int offset) {
        try (JsonParser parser = JSON.createParser(bytes, offset, bytes.length - offset)) {
            JsonToken token = parser.nextToken();
            while (token != null && token != JsonToken.START_OBJECT) {
                token = parser.nextToken();
            }
            int depth = 0;
            for (; token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    if (--depth == 0) {
                        break;
                    }
                } else if (depth == 1 && token == JsonToken.FIELD_NAME && "delivered".equals(parser.currentName())) {
                    JsonToken value = parser.nextToken();
                    return value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : NOT_AN_ACK;
                }
            }
            return NOT_AN_ACK;
        } catch (IOException malformed) {
            return NOT_AN_ACK;
        }
    }
}
