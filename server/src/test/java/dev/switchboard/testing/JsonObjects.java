package dev.switchboard.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the flat JSON objects the server writes (acks, error frames, /health) so a test can assert
 * on members rather than on byte layout. Fails on anything else: a nested value, trailing data.
 */
public final class JsonObjects {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonObjects() {
    }

    /** Members in document order; values are String, Long, Double, Boolean or null. */
    public static Map<String, Object> parseFlat(String json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + json);
            }
            Map<String, Object> members = new LinkedHashMap<>();
            String name;
            while ((name = parser.nextFieldName()) != null) {
                JsonToken value = parser.nextToken();
                Object previous = members.put(name, switch (value) {
                    case VALUE_STRING -> parser.getText();
                    case VALUE_NUMBER_INT -> parser.getLongValue();
                    case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                    case VALUE_TRUE, VALUE_FALSE -> parser.getBooleanValue();
                    case VALUE_NULL -> null;
                    default -> throw new IllegalArgumentException("nested value in " + json);
                });
                if (previous != null) {
                    throw new IllegalArgumentException("repeated member " + name + " in " + json);
                }
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("trailing data after the object: " + json);
            }
            return members;
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
