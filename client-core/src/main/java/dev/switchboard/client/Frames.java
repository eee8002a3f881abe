package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The frames the client writes in {@code switchboard.v1} (docs/PROTOCOL.md, "Client → server"). */
final class Frames {
    private Frames() {
    }

    /** {@code {"type":"send","id","to","message"[,"receipt":true]}}; {@code messageJson} is compact JSON. */
    static String send(String id, String to, String messageJson, boolean receipt, String idempotencyKey) {
        return write(g -> {
            g.writeStringField("type", "send");
            g.writeStringField("id", id);
            g.writeStringField("to", to);
            g.writeFieldName("message");
            g.writeRawValue(messageJson);
            if (receipt) {
                g.writeBooleanField("receipt", true);
            }
            g.writeStringField("idempotencyKey", idempotencyKey);
        }, messageJson.length() + to.length() + idempotencyKey.length() + 96);
    }

    /** {@code {"type":"presence","id","user"}} */
    static String presence(String id, String user) {
        return write(g -> {
            g.writeStringField("type", "presence");
            g.writeStringField("id", id);
            g.writeStringField("user", user);
        }, user.length() + 48);
    }

    /** {@code {"type":"received","seq"}}: this connection got message {@code seq}, which asked for a receipt. */
    static String received(long seq) {
        return "{\"type\":\"received\",\"seq\":" + seq + "}";
    }

    /** {@code {"type":"ping"}}: only the liveness of the connection matters, so no id. */
    static String refresh(String id, String token) {
        return write(g -> {
            g.writeStringField("type", "refresh");
            g.writeStringField("id", id);
            g.writeStringField("token", token);
        }, token.length() + 48);
    }

    static String ping() {
        return "{\"type\":\"ping\"}";
    }

    private interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    private static String write(Body body, int sizeHint) {
        StringWriter out = new StringWriter(sizeHint);
        try (JsonGenerator generator = Json.FACTORY.createGenerator(out)) {
            generator.writeStartObject();
            body.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
