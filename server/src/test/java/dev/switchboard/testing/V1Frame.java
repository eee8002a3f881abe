package dev.switchboard.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One {@code switchboard.v1} frame the server sent, read into its members' JSON text exactly as
 * written (so a {@code message} keeps its digits and layout). Typed getters fail the test when a
 * member is missing or of another type; {@link #toString()} is the frame itself, for messages.
 */
public final class V1Frame {
    private static final JsonFactory JSON = new JsonFactory();

    private final String json;
    private final Map<String, String> members;

    private V1Frame(String json, Map<String, String> members) {
        this.json = json;
        this.members = members;
    }

    /** Reads one JSON object; fails on anything else, on a repeated member and on trailing data. */
    public static V1Frame parse(String json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new AssertionError("not a JSON object: " + json);
            }
            Map<String, String> members = new LinkedHashMap<>();
            JsonToken token = parser.nextToken();
            while (token == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                token = parser.nextToken();
                // The value ends where the next member's name (or the closing brace) starts,
                // less the separating comma and whitespace.
                String raw = json.substring(start, (int) parser.currentTokenLocation().getCharOffset()).strip();
                if (raw.endsWith(",")) {
                    raw = raw.substring(0, raw.length() - 1).strip();
                }
                if (members.put(name, raw) != null) {
                    throw new AssertionError("repeated member " + name + " in " + json);
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new AssertionError("trailing data after the object: " + json);
            }
            return new V1Frame(json, Collections.unmodifiableMap(members));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    /** The {@code type} member. */
    public String type() {
        return text("type");
    }

    /** The member names, in the order the server wrote them. */
    public Set<String> names() {
        return members.keySet();
    }

    public boolean has(String name) {
        return members.containsKey(name);
    }

    /** A member's JSON text as the server wrote it; fails if it is missing. */
    public String raw(String name) {
        String raw = members.get(name);
        if (raw == null) {
            throw new AssertionError("no member " + name + " in " + json);
        }
        return raw;
    }

    /** A string member's value, or {@code null} for JSON {@code null}. */
    public String text(String name) {
        String raw = raw(name);
        if (raw.equals("null")) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(raw)) {
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw new AssertionError(name + " is not a string in " + json);
            }
            return parser.getText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An integer member. */
    public long number(String name) {
        String raw = raw(name);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new AssertionError(name + " is not an integer in " + json);
        }
    }

    /** A boolean member. */
    public boolean bool(String name) {
        String raw = raw(name);
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new AssertionError(name + " is not a boolean in " + json);
        }
        return raw.equals("true");
    }

    /** The frame as the server sent it. */
    @Override
    public String toString() {
        return json;
    }
}
