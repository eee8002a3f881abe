package dev.switchboard.transport.plain;

import dev.switchboard.transport.FrameException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.core.ErrorCode;
import dev.switchboard.core.Identity;
import dev.switchboard.core.JsonSyntax;
import dev.switchboard.core.Message;
import dev.switchboard.core.MessageJson;

import java.io.IOException;

/**
 * Parses a plain-mode frame, {@code {"userId": "bob", "message": <any JSON>}}, with Jackson's
 * streaming parser: one pass, no tree. Stateless and thread-safe.
 *
 * <p>Rules, checked in this order once the whole frame has been read: the frame must be exactly one
 * JSON value ({@code invalid_json}), an object ({@code invalid_message}); {@code userId} present,
 * not null and not empty ({@code missing_user_id}), a string of at most {@link #MAX_USER_ID_LENGTH}
 * characters ({@code invalid_user_id}); {@code message} present ({@code missing_message}). Other
 * members are ignored; for a repeated member the last one wins, as in JavaScript's JSON.parse.
 */
public final class PlainFrameParser {
    /** The longest user id accepted, in UTF-16 chars. */
    public static final int MAX_USER_ID_LENGTH = Identity.MAX_USER_ID_LENGTH;
    /** How deep a message may nest. */
    public static final int MAX_NESTING_DEPTH = MessageJson.MAX_NESTING_DEPTH;

    private PlainFrameParser() {
    }

    /** Parses {@code length} bytes of {@code frame} from {@code offset}. */
    public static PlainSend parse(byte[] frame, int offset, int length) throws FrameException {
        try (JsonParser parser = MessageJson.FACTORY.createParser(frame, offset, length)) {
            return parse(parser, frame, offset, length);
        } catch (JsonProcessingException e) {
            throw new FrameException(ErrorCode.INVALID_JSON, "invalid JSON: " + JsonSyntax.describe(e));
        } catch (IOException e) {
            // A byte-array source cannot fail to read; anything else is a parse failure too.
            throw new FrameException(ErrorCode.INVALID_JSON, "invalid JSON: " + e.getMessage());
        }
    }

    private static PlainSend parse(JsonParser parser, byte[] frame, int offset, int length)
            throws IOException, FrameException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new FrameException(ErrorCode.INVALID_JSON, "invalid JSON: empty frame");
        }
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren();
            requireEnd(parser);
            throw new FrameException(ErrorCode.INVALID_MESSAGE,
                    "the frame must be a JSON object like {\"userId\":\"bob\",\"message\":\"hi\"}");
        }
        JsonToken userIdToken = null;
        String userId = null;
        Message message = null;
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            if ("userId".equals(field)) {
                userIdToken = value;
                userId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                parser.skipChildren();
            } else if ("message".equals(field)) {
                message = MessageJson.read(parser, value, frame, offset, offset + length);
            } else {
                parser.skipChildren();
            }
        }
        requireEnd(parser);
        if (userIdToken == null || userIdToken == JsonToken.VALUE_NULL
                || (userId != null && userId.isEmpty())) {
            throw new FrameException(ErrorCode.MISSING_USER_ID, "userId is required: the user to send to");
        }
        if (userId == null) {
            throw new FrameException(ErrorCode.INVALID_USER_ID, "userId must be a string");
        }
        if (userId.length() > MAX_USER_ID_LENGTH) {
            throw new FrameException(ErrorCode.INVALID_USER_ID,
                    "userId is longer than " + MAX_USER_ID_LENGTH + " characters");
        }
        if (message == null) {
            throw new FrameException(ErrorCode.MISSING_MESSAGE, "message is required");
        }
        return new PlainSend(userId, message);
    }

    private static void requireEnd(JsonParser parser) throws IOException, FrameException {
        if (parser.nextToken() != null) {
            throw new FrameException(ErrorCode.INVALID_JSON,
                    "invalid JSON: more than one JSON value in the frame");
        }
    }
}
