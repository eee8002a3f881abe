package dev.switchboard.transport.plain;

import dev.switchboard.transport.JsonFrameWriter;

import dev.switchboard.core.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.nio.charset.StandardCharsets;

/** Encodes the plain-mode frames the server writes to a sender: acks and errors. */
final class PlainFrames {
    private static final byte[] ACK_HEAD = "{\"userId\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACK_MIDDLE = "\",\"delivered\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_HEAD = "{\"error\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARTIAL = ",\"partial\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_MIDDLE = "\",\"code\":\"".getBytes(StandardCharsets.US_ASCII);

    private PlainFrames() {
    }

    /** {@code {"userId":"bob","delivered":N}}, with {@code ,"partial":true} when a cluster node did not answer. */
    static TextWebSocketFrame ack(ByteBufAllocator alloc, String userId, int delivered, boolean partial) {
        byte[] user = quote(userId);
        ByteBuf buf = alloc.buffer(ACK_HEAD.length + user.length + ACK_MIDDLE.length + 12 + PARTIAL.length);
        buf.writeBytes(ACK_HEAD).writeBytes(user).writeBytes(ACK_MIDDLE);
        writeInt(buf, delivered);
        if (partial) {
            buf.writeBytes(PARTIAL);
        }
        buf.writeByte('}');
        return new TextWebSocketFrame(buf);
    }

    /** {@code {"error":"<text>","code":"<code>"}} */
    static TextWebSocketFrame error(ByteBufAllocator alloc, ErrorCode code, String text) {
        byte[] message = quote(text);
        byte[] wire = code.wireName().getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = alloc.buffer(ERROR_HEAD.length + message.length + ERROR_MIDDLE.length + wire.length + 2);
        buf.writeBytes(ERROR_HEAD).writeBytes(message).writeBytes(ERROR_MIDDLE).writeBytes(wire);
        buf.writeByte('"').writeByte('}');
        return new TextWebSocketFrame(buf);
    }

    private static byte[] quote(String text) {
        return JsonFrameWriter.quote(text);
    }

    private static void writeInt(ByteBuf buf, int value) {
        buf.writeCharSequence(Integer.toString(value), StandardCharsets.US_ASCII);
    }
}
