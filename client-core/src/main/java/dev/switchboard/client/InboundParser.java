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
        return switch (f.type) {
            case "welcome" -> new Inbound.Welcome(f.connectionId, f.userId, f.epoch, required(f.seq, "seq"),
                    f.recovered, f.missed);
            case "message" -> new Inbound.Delivery(new Message(required(f.seq, "seq"), f.from,
                    required(f.messageJson, "message"), f.messageText, f.ts, f.receipt));
            case "ack" -> new Inbound.Answer(f.id, new Ack(f.to, f.delivered, required(f.seq, "seq"), f.partial,
                    f.duplicate));
            case "receipt" -> new Inbound.Event(new Receipt(f.to, required(f.seq, "seq"), f.connectionId));
            case "presence" -> {
                Presence presence = new Presence(required(f.user, "user"), f.online, f.connections);
                yield f.id == null ? new Inbound.Event(presence) : new Inbound.Answer(f.id, presence);
            }
            case "pong" -> new Inbound.Answer(f.id, null);
            case "refreshed" -> new Inbound.Answer(f.id, new TokenRefresh.Refreshed(f.expiresAt));
            case "error" -> new Inbound.Failure(f.id, f.code == null ? "unknown" : f.code,
                    f.error == null ? "" : f.error);
            default -> new Inbound.Unknown(f.type);
        };
    }

    private static void read(JsonParser parser, String name, JsonToken value, Fields f) throws IOException {
        switch (name) {
            case "type" -> f.type = string(parser, value);
            case "id" -> f.id = string(parser, value);
            case "connectionId" -> f.connectionId = string(parser, value);
            case "userId" -> f.userId = string(parser, value);
            case "epoch" -> f.epoch = string(parser, value);
            case "seq" -> f.seq = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
            case "recovered" -> f.recovered = value.isBoolean() ? value == JsonToken.VALUE_TRUE : null;
            case "missed" -> f.missed = integer(parser, value);
            case "from" -> f.from = string(parser, value);
            case "message" -> {
                f.messageText = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                f.messageJson = copy(parser);
            }
            case "ts" -> f.ts = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
            case "receipt" -> f.receipt = value == JsonToken.VALUE_TRUE;
            case "to" -> f.to = string(parser, value);
            case "delivered" -> f.delivered = integer(parser, value);
            case "user" -> f.user = string(parser, value);
            case "online" -> f.online = value == JsonToken.VALUE_TRUE;
            case "partial" -> f.partial = value == JsonToken.VALUE_TRUE;
            case "duplicate" -> f.duplicate = value == JsonToken.VALUE_TRUE;
            case "connections" -> f.connections = integer(parser, value);
            case "code" -> f.code = string(parser, value);
            case "expiresAt" -> f.expiresAt = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
            case "error" -> f.error = string(parser, value);
            default -> { } // unknown members are ignored: the protocol grows by adding
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
