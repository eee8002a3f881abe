package dev.switchboard.transport;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.nio.charset.StandardCharsets;

/**
 * Writes one flat JSON object straight into a buffer: the server's frames are small, flat and
 * built on hot paths, so this skips a generator's setup while Jackson still does the escaping.
 * Not thread-safe; one per frame.
 */
final class JsonFrameWriter {
    private final ByteBuf buf;
    private boolean first = true;

    JsonFrameWriter(ByteBufAllocator alloc, int sizeHint) {
        buf = alloc.buffer(sizeHint);
        buf.writeByte('{');
    }

    JsonFrameWriter string(String name, String value) {
        key(name);
        if (value == null) {
            buf.writeCharSequence("null", StandardCharsets.US_ASCII);
        } else {
            buf.writeByte('"').writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(value)).writeByte('"');
        }
        return this;
    }

    JsonFrameWriter number(String name, long value) {
        key(name);
        buf.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
        return this;
    }

    JsonFrameWriter bool(String name, boolean value) {
        key(name);
        buf.writeCharSequence(value ? "true" : "false", StandardCharsets.US_ASCII);
        return this;
    }

    /** A member whose value is already valid compact JSON. */
    JsonFrameWriter raw(String name, byte[] json) {
        key(name);
        buf.writeBytes(json);
        return this;
    }

    TextWebSocketFrame frame() {
        buf.writeByte('}');
        return new TextWebSocketFrame(buf);
    }

    ByteBuf buffer() {
        buf.writeByte('}');
        return buf;
    }

    private void key(String name) {
        if (!first) {
            buf.writeByte(',');
        }
        first = false;
        // Member names are the server's own constants: plain ASCII, nothing to escape.
        buf.writeByte('"').writeCharSequence(name, StandardCharsets.US_ASCII);
        buf.writeByte('"').writeByte(':');
    }
}
