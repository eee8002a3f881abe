package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.IOException;
import java.io.StringWriter;
import java.util.regex.Pattern;

/** The client's JSON plumbing on jackson-core's streaming API. Stateless and thread-safe. */
final class Json {
    /** The server refuses messages nested deeper than this; refusing them here fails faster. */
    static final int MAX_NESTING_DEPTH = 128;

    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION) // never echo a message into an error
            .build();

    private static final Pattern QUOTED_LOCATION =
            Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)]");

    private Json() {
    }

    /**
     * A parse failure as a caller should read it: the reason and where, without jackson's
     * {@code [Source: …]} internals.
     */
    static String describe(IOException e) {
        if (!(e instanceof JsonProcessingException)) {
            return String.valueOf(e.getMessage());
        }
        JsonProcessingException processing = (JsonProcessingException) e;
        String reason = QUOTED_LOCATION.matcher(String.valueOf(processing.getOriginalMessage()))
                .replaceAll("line $1, column $2").replaceAll("\\s+", " ").trim();
        JsonLocation location = processing.getLocation();
        if (location != null && location.getColumnNr() > 0) {
            reason += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return reason;
    }

    /** {@code text} as a JSON string literal, quotes included. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        return out.append('"').toString();
    }

    /**
     * Checks that {@code json} is exactly one JSON value and returns it as compact text.
     *
     * @throws IllegalArgumentException if it is not
     */
    static String compact(String json) {
        StringWriter out = new StringWriter(json.length());
        try (JsonParser parser = FACTORY.createParser(json); JsonGenerator generator = FACTORY.createGenerator(out)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("not JSON: empty");
            }
            copyValue(parser, generator);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("not one JSON value: more follows it");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + describe(e), e);
        }
        return out.toString();
    }

    /**
     * Copies the value at the parser's current token, leaving the parser on its last token. Unlike
     * {@link JsonGenerator#copyCurrentStructure}, numbers keep their text: that copy goes through
     * {@code double}, which would round {@code 0.1000000000000000055511151231257827}.
     */
    static void copyValue(JsonParser parser, JsonGenerator generator) throws IOException {
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
