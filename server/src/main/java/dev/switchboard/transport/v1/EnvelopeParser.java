package dev.switchboard.transport.v1;

import dev.switchboard.core.Identity;

import dev.switchboard.transport.FrameException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.core.ErrorCode;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.JsonSyntax;
import dev.switchboard.core.Message;
import dev.switchboard.core.MessageJson;

import java.io.IOException;

/**
 * Parses a {@code switchboard.v1} request, {@code {"type": …, "id": …, …}}, in one streaming pass.
 * The error codes are plain mode's: not JSON → {@code invalid_json}; not an object, no or unknown
 * {@code type}, or a member of the wrong type → {@code invalid_message}; a missing, null or empty
 * {@code to} / {@code user} → {@code missing_user_id}; one that is not a string or too long →
 * {@code invalid_user_id}; a send without {@code message} → {@code missing_message}. Unknown members
 * are ignored. Stateless and thread-safe.
 */
final class EnvelopeParser {
    static final String SEND = "send";
    static final String PRESENCE = "presence";
    static final String RECEIVED = "received";
    static final String PING = "ping";
    static final String REFRESH = "refresh";

    private EnvelopeParser() {
    }

    static EnvelopeRequest parse(byte[] frame, int offset, int length) throws FrameException {
        Fields fields = new Fields();
        try (JsonParser parser = MessageJson.FACTORY.createParser(frame, offset, length)) {
            read(parser, fields, frame, offset, length);
        } catch (JsonProcessingException e) {
            throw new FrameException(ErrorCode.INVALID_JSON, "invalid JSON: " + JsonSyntax.describe(e), fields.id);
        } catch (IOException e) {
            throw new FrameException(ErrorCode.INVALID_JSON, "invalid JSON", fields.id);
        }
        return validate(fields);
    }

    /** What was read, valid or not; the id is kept even when the rest is bad. */
    private static final class Fields {
        String id;
        JsonToken typeToken;
        String type;
        JsonToken targetToken;
        String target;
        String targetName;
        Message message;
        JsonToken receiptToken;
        JsonToken seqToken;
        long seq;
        String idempotencyKey;
        String token;
        String wrongType;
    }

    private static void read(JsonParser parser, Fields f, byte[] frame, int offset, int length)
            throws IOException, FrameException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new FrameException(ErrorCode.INVALID_JSON, "invalid JSON: empty frame");
        }
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren();
            requireEnd(parser, f);
            throw new FrameException(ErrorCode.INVALID_MESSAGE,
                    "the frame must be a JSON object like {\"type\":\"send\",\"to\":\"bob\",\"message\":\"hi\"}");
        }
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "type" -> {
                    f.typeToken = value;
                    f.type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                case "id" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        f.id = parser.getText();
                    } else if (value != JsonToken.VALUE_NULL) {
                        f.wrongType = "id must be a string";
                    }
                }
                case "to", "user" -> {
                    f.targetName = field;
                    f.targetToken = value;
                    f.target = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                case "message" -> f.message = MessageJson.read(parser, value, frame, offset, offset + length);
                case "receipt" -> f.receiptToken = value;
                case "idempotencyKey" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        f.idempotencyKey = parser.getText();
                    } else if (value != JsonToken.VALUE_NULL) {
                        f.wrongType = "idempotencyKey must be a string";
                    }
                }
                case "token" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        f.token = parser.getText();
                    } else if (value != JsonToken.VALUE_NULL) {
                        f.wrongType = "token must be a string";
                    }
                }
                case "seq" -> {
                    f.seqToken = value;
                    f.seq = value == JsonToken.VALUE_NUMBER_INT
                            && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? parser.getLongValue() : -1;
                }
                default -> { }
            }
            parser.skipChildren();
        }
        requireEnd(parser, f);
    }

    private static EnvelopeRequest validate(Fields f) throws FrameException {
        if (f.wrongType != null) {
            throw new FrameException(ErrorCode.INVALID_MESSAGE, f.wrongType, null);
        }
        if (f.type == null) {
            throw new FrameException(ErrorCode.INVALID_MESSAGE,
                    "type is required: send, presence, received, ping or refresh", f.id);
        }
        switch (f.type) {
            case SEND -> {
                String to = target(f, "to");
                if (f.message == null) {
                    throw new FrameException(ErrorCode.MISSING_MESSAGE, "message is required", f.id);
                }
                boolean receipt = false;
                if (f.receiptToken == JsonToken.VALUE_TRUE) {
                    receipt = true;
                } else if (f.receiptToken != null && f.receiptToken != JsonToken.VALUE_FALSE
                        && f.receiptToken != JsonToken.VALUE_NULL) {
                    throw new FrameException(ErrorCode.INVALID_MESSAGE, "receipt must be true or false", f.id);
                }
                if (f.idempotencyKey != null && !IdempotencyKey.valid(f.idempotencyKey)) {
                    throw new FrameException(ErrorCode.INVALID_MESSAGE, "idempotencyKey must have 1 to "
                            + IdempotencyKey.MAX_LENGTH + " characters", f.id);
                }
                return new EnvelopeRequest(SEND, f.id, to, f.message, receipt, 0, f.idempotencyKey);
            }
            case PRESENCE -> {
                return new EnvelopeRequest(PRESENCE, f.id, target(f, "user"), null, false, 0, null);
            }
            case RECEIVED -> {
                if (f.seqToken == null || f.seq < 1) {
                    throw new FrameException(ErrorCode.INVALID_MESSAGE, "seq must be a positive integer", f.id);
                }
                return new EnvelopeRequest(RECEIVED, f.id, null, null, false, f.seq, null);
            }
            case PING -> {
                return new EnvelopeRequest(PING, f.id, null, null, false, 0, null);
            }
            case REFRESH -> {
                if (f.token == null || f.token.isEmpty()) {
                    throw new FrameException(ErrorCode.INVALID_MESSAGE, "token is required: a fresh JWT", f.id);
                }
                return new EnvelopeRequest(REFRESH, f.id, null, null, false, 0, null, f.token);
            }
            default -> throw new FrameException(ErrorCode.INVALID_MESSAGE,
                    "unknown type: use send, presence, received, ping or refresh", f.id);
        }
    }

    private static String target(Fields f, String name) throws FrameException {
        if (f.targetName != null && !f.targetName.equals(name)) {
            // "user" on a send or "to" on a presence query: treat as missing, say which is wanted.
            f.targetToken = null;
        }
        if (f.targetToken == null || f.targetToken == JsonToken.VALUE_NULL || "".equals(f.target)) {
            throw new FrameException(ErrorCode.MISSING_USER_ID, name + " is required: the user's id", f.id);
        }
        if (f.target == null) {
            throw new FrameException(ErrorCode.INVALID_USER_ID, name + " must be a string", f.id);
        }
        if (f.target.length() > Identity.MAX_USER_ID_LENGTH) {
            throw new FrameException(ErrorCode.INVALID_USER_ID,
                    name + " is longer than " + Identity.MAX_USER_ID_LENGTH + " characters", f.id);
        }
        return f.target;
    }

    private static void requireEnd(JsonParser parser, Fields f) throws IOException, FrameException {
        if (parser.nextToken() != null) {
            throw new FrameException(ErrorCode.INVALID_JSON, "invalid JSON: more than one JSON value in the frame", f.id);
        }
    }
}
