package dev.switchboard.api;

import dev.switchboard.transport.http.HttpException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.core.Identity;
import dev.switchboard.core.JsonSyntax;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.Message;
import dev.switchboard.core.MessageJson;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parsing of server API requests: paths and bodies. Pure functions, thread-safe. */
final class ApiRequests {
    /** The longest user id accepted, as on the WebSocket side. */
    static final int MAX_USER_ID_LENGTH = Identity.MAX_USER_ID_LENGTH;

    private ApiRequests() {
    }

    /**
     * Splits a raw path into percent-decoded segments, so that a user id may contain any character,
     * {@code /} included (as {@code %2F}). An empty segment inside the path is kept — {@code
     * /api/users//messages} names an empty user id, not the user "messages" — while the leading
     * slash and one trailing slash are not segments.
     */
    static List<String> segments(String rawPath) throws HttpException {
        List<String> segments = new ArrayList<>();
        String[] parts = rawPath.split("/", -1);
        int end = parts.length > 1 && parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length;
        for (int i = 0; i < end; i++) {
            String raw = parts[i];
            if (i == 0 && raw.isEmpty()) {
                continue;
            }
            try {
                // decodeComponent is the query's decoder ('+' is a space); in a path '+' is itself.
                segments.add(QueryStringDecoder.decodeComponent(raw.replace("+", "%2B")));
            } catch (IllegalArgumentException e) {
                throw new HttpException(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed percent-encoding in the path");
            }
        }
        return segments;
    }

    /** Checks a user id taken from a path. */
    static String userId(String segment) throws HttpException {
        if (segment.isEmpty() || segment.length() > MAX_USER_ID_LENGTH) {
            throw new HttpException(HttpResponseStatus.UNPROCESSABLE_ENTITY, "invalid_user_id",
                    "the user id must have 1 to " + MAX_USER_ID_LENGTH + " characters");
        }
        return segment;
    }

    /** Reads {@code {"message": <any JSON>}}; other members are ignored. */
    static Message messageBody(byte[] body) throws HttpException {
        try (JsonParser parser = MessageJson.FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_json",
                        "the body must be a JSON object like {\"message\":\"hi\"}");
            }
            if (first != JsonToken.START_OBJECT) {
                parser.skipChildren();
                requireEnd(parser);
                throw new HttpException(HttpResponseStatus.UNPROCESSABLE_ENTITY, "invalid_message",
                        "the body must be a JSON object like {\"message\":\"hi\"}");
            }
            Message message = null;
            String field;
            while ((field = parser.nextFieldName()) != null) {
                JsonToken value = parser.nextToken();
                if ("message".equals(field)) {
                    message = MessageJson.read(parser, value, body, 0, body.length);
                } else {
                    parser.skipChildren();
                }
            }
            requireEnd(parser);
            if (message == null) {
                throw new HttpException(HttpResponseStatus.UNPROCESSABLE_ENTITY, "missing_message",
                        "message is required");
            }
            return message;
        } catch (JsonProcessingException e) {
            throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_json",
                    "invalid JSON: " + JsonSyntax.describe(e));
        } catch (IOException e) {
            throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_json", "invalid JSON");
        }
    }

    private static void requireEnd(JsonParser parser) throws IOException, HttpException {
        if (parser.nextToken() != null) {
            throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_json",
                    "invalid JSON: more than one JSON value in the body");
        }
    }

    /**
     * The request's {@code Idempotency-Key} header as the server API's key, or null without one.
     *
     * @throws HttpException 400 {@code invalid_idempotency_key} if it is empty or longer than 128
     *     characters, or given twice
     */
    static IdempotencyKey idempotencyKey(FullHttpRequest request) throws HttpException {
        java.util.List<String> values = request.headers().getAll("Idempotency-Key");
        if (values.isEmpty()) {
            return null;
        }
        String key = values.get(0).trim();
        if (values.size() > 1 || !IdempotencyKey.valid(key)) {
            throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_idempotency_key",
                    "Idempotency-Key must be one value of 1 to " + IdempotencyKey.MAX_LENGTH + " characters");
        }
        return new IdempotencyKey(IdempotencyKey.API_SCOPE, key);
    }
}
