package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;

/**
 * Reads a server frame ({@code {"type": …}}, docs/PROTOCOL.md "Server → client") in one streaming
 * pass. Unknown members are skipped and unknown types reported as {@link Inbound.Unknown}, as the
 * protocol only grows by adding. Stateless and thread-safe.
 */
final class InboundParser {
    private InboundParser() {
    }

    /** What a frame holds; every member optional until the type says which are needed. */
    private static final class Fields {
        String type;
        String id;
        String connectionId;
        String userId;
        String epoch;
        Long seq;
        Boolean recovered;
        int missed;
        String from;
        String messageJson;
        String messageText;
        long ts;
        boolean receipt;
        String to;
        int delivered;
        boolean partial;
        boolean duplicate;
        String user;
        boolean online;
        int connections;
        String code;
        String error;
        long expiresAt;
    }

    /**
     * @throws IOException if the frame is not the JSON object the protocol describes
     */
    static Inbound parse(String frame) throws IOException {
        Fields f = new Fields();
        try (JsonParser parser = Json.FACTORY.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a frame must be a JSON object");
            }
            String name;
            while ((name = parser.nextFieldName()) != null) {
                JsonToken value = parser.nextToken();
                read(parser, name, value, f);
                parser.skipChildren();
            }
        }
        if (f.type == null) {
            throw new IOException("a frame without a type");
        }
        switch (f.type) {
            case "welcome":
                return new Inbound.Welcome(f.connectionId, f.userId, f.epoch, required(f.seq, "seq"), f.recovered,
                        f.missed);
            case "message":
                return new Inbound.Delivery(new Message(required(f.seq, "seq"), f.from,
                        required(f.messageJson, "message"), f.messageText, f.ts, f.receipt));
            case "ack":
                return new Inbound.Answer(f.id, new Ack(f.to, f.delivered, required(f.seq, "seq"), f.partial,
                        f.duplicate));
            case "receipt":
                return new Inbound.Event(new Receipt(f.to, required(f.seq, "seq"), f.connectionId));
            case "presence":
                Presence presence = new Presence(required(f.user, "user"), f.online, f.connections);
                return f.id == null ? new Inbound.Event(presence) : new Inbound.Answer(f.id, presence);
            case "pong":
                return new Inbound.Answer(f.id, null);
            case "refreshed":
                return new Inbound.Answer(f.id, new TokenRefresh.Refreshed(f.expiresAt));
            case "error":
                return new Inbound.Failure(f.id, f.code == null ? "unknown" : f.code, f.error == null ? "" : f.error);
            default:
                return new Inbound.Unknown(f.type);
        }
    }

    private static void read(JsonParser parser, String name, JsonToken value, Fields f) throws IOException {
        switch (name) {
            case "type":
                f.type = string(parser, value);
                break;
            case "id":
                f.id = string(parser, value);
                break;
            case "connectionId":
                f.connectionId = string(parser, value);
                break;
            case "userId":
                f.userId = string(parser, value);
                break;
            case "epoch":
                f.epoch = string(parser, value);
                break;
            case "seq":
                f.seq = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
                break;
            case "recovered":
                f.recovered = value.isBoolean() ? value == JsonToken.VALUE_TRUE : null;
                break;
            case "missed":
                f.missed = integer(parser, value);
                break;
            case "from":
                f.from = string(parser, value);
                break;
            case "message": {
                f.messageText = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                f.messageJson = copy(parser);
                break;
            }
            case "ts":
                f.ts = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
                break;
            case "receipt":
                f.receipt = value == JsonToken.VALUE_TRUE;
                break;
            case "to":
                f.to = string(parser, value);
                break;
            case "delivered":
                f.delivered = integer(parser, value);
                break;
            case "user":
                f.user = string(parser, value);
                break;
            case "online":
                f.online = value == JsonToken.VALUE_TRUE;
                break;
            case "partial":
                f.partial = value == JsonToken.VALUE_TRUE;
                break;
            case "duplicate":
                f.duplicate = value == JsonToken.VALUE_TRUE;
                break;
            case "connections":
                f.connections = integer(parser, value);
                break;
            case "code":
                f.code = string(parser, value);
                break;
            case "expiresAt":
                f.expiresAt = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
                break;
            case "error":
                f.error = string(parser, value);
                break;
            default: // unknown members are ignored: the protocol grows by adding
                break;
        }
    }

    private static String string(JsonParser parser, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_STRING ? parser.getText() : null;
    }

    private static int integer(JsonParser parser, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : 0;
    }

    private static String copy(JsonParser parser) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = Json.FACTORY.createGenerator(out)) {
            Json.copyValue(parser, generator);
        }
        return out.toString();
    }

    private static <T> T required(T value, String name) throws IOException {
        if (value == null) {
            throw new IOException("the frame lacks " + name);
        }
        return value;
    }
}
