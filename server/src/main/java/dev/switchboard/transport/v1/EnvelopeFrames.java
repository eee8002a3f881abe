package dev.switchboard.transport.v1;

import dev.switchboard.transport.JsonFrameWriter;

import dev.switchboard.core.ErrorCode;
import dev.switchboard.core.Publication;
import dev.switchboard.core.StreamPosition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/** The frames the server writes in {@code switchboard.v1} (see docs/PROTOCOL.md). */
final class EnvelopeFrames {
    private EnvelopeFrames() {
    }

    /** {@code {"type":"message","seq","from","message","ts"[,"receipt":true]}}, in a buffer. */
    static ByteBuf message(ByteBufAllocator alloc, Publication p) {
        byte[] json = p.message().json();
        JsonFrameWriter out = new JsonFrameWriter(alloc, json.length + 96)
                .string("type", "message").number("seq", p.seq()).string("from", p.from())
                .raw("message", json).number("ts", p.timestampMillis());
        if (p.wantsReceipt()) {
            out.bool("receipt", true);
        }
        return out.buffer();
    }

    /**
     * {@code {"type":"welcome","connectionId","userId","epoch","seq"}}, plus
     * {@code "recovered","missed"} when the client asked to resume.
     */
    static TextWebSocketFrame welcome(ByteBufAllocator alloc, String connectionId, String userId,
                                      StreamPosition position, boolean resumed, boolean recovered, int missed) {
        JsonFrameWriter out = new JsonFrameWriter(alloc, 160).string("type", "welcome")
                .string("connectionId", connectionId).string("userId", userId)
                .string("epoch", position == null ? null : position.epoch())
                .number("seq", position == null ? 0 : position.seq());
        if (resumed) {
            out.bool("recovered", recovered).number("missed", missed);
        }
        return out.frame();
    }

    /** {@code {"type":"ack","id","to","delivered","seq"[,"partial":true]}} */
    static TextWebSocketFrame ack(ByteBufAllocator alloc, String id, String to, int delivered, long seq,
                                  boolean partial) {
        return ack(alloc, id, to, delivered, seq, partial, false);
    }

    /** As above; a repeat of an idempotency key adds {@code "duplicate":true} to the first send's ack. */
    static TextWebSocketFrame ack(ByteBufAllocator alloc, String id, String to, int delivered, long seq,
                                  boolean partial, boolean duplicate) {
        JsonFrameWriter out = new JsonFrameWriter(alloc, 112).string("type", "ack").string("id", id).string("to", to)
                .number("delivered", delivered).number("seq", seq);
        if (partial) {
            out.bool("partial", true);
        }
        if (duplicate) {
            out.bool("duplicate", true);
        }
        return out.frame();
    }

    /** {@code {"type":"error","id","code","error"}} */
    static TextWebSocketFrame error(ByteBufAllocator alloc, String id, ErrorCode code, String text) {
        return new JsonFrameWriter(alloc, 128).string("type", "error").string("id", id)
                .string("code", code.wireName()).string("error", text).frame();
    }

    /** {@code {"type":"presence"[,"id"],"user","online","connections"}}; no id for an event. */
    static TextWebSocketFrame presence(ByteBufAllocator alloc, String id, String user, boolean online, int connections) {
        JsonFrameWriter out = new JsonFrameWriter(alloc, 96).string("type", "presence");
        if (id != null) {
            out.string("id", id);
        }
        return out.string("user", user).bool("online", online).number("connections", connections).frame();
    }

    /** {@code {"type":"receipt","id","to","seq","connectionId"}} */
    static TextWebSocketFrame receipt(ByteBufAllocator alloc, String id, String to, long seq, String connectionId) {
        return new JsonFrameWriter(alloc, 128).string("type", "receipt").string("id", id).string("to", to)
                .number("seq", seq).string("connectionId", connectionId).frame();
    }

    /** {@code {"type":"pong","id"}} */
    /** {@code {"type":"refreshed","id","expiresAt"}}: the connection now expires at {@code expiresAt} (ms). */
    static TextWebSocketFrame refreshed(ByteBufAllocator alloc, String id, long expiresAt) {
        return new JsonFrameWriter(alloc, 64).string("type", "refreshed").string("id", id)
                .number("expiresAt", expiresAt).frame();
    }

    static TextWebSocketFrame pong(ByteBufAllocator alloc, String id) {
        return new JsonFrameWriter(alloc, 48).string("type", "pong").string("id", id).frame();
    }
}
