package dev.switchboard.transport;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes one flat JSON object straight into a buffer: the server's frames are small, flat and
 * built on hot paths, so this skips a generator's setup while Jackson still does the escaping.
 * Not thread-safe; one per frame.
 */
public final class JsonFrameWriter {
    private final ByteBuf buf;
    private boolean first = true;

    public JsonFrameWriter(ByteBufAllocator alloc, int sizeHint) {
        buf = alloc.buffer(sizeHint);
        buf.writeByte('{');
    }

    public JsonFrameWriter string(String name, String value) {
        key(name);
        if (value == null) {
            buf.writeCharSequence("null", StandardCharsets.US_ASCII);
        } else {
            buf.writeByte('"').writeBytes(quote(value)).writeByte('"');
        }
        return this;
    }

    public JsonFrameWriter number(String name, long value) {
        key(name);
        buf.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
        return this;
    }

    public JsonFrameWriter bool(String name, boolean value) {
        key(name);
        buf.writeCharSequence(value ? "true" : "false", StandardCharsets.US_ASCII);
        return this;
    }

    /** A member whose value is already valid compact JSON. */
    public JsonFrameWriter raw(String name, byte[] json) {
        key(name);
        buf.writeBytes(json);
        return this;
    }

    public TextWebSocketFrame frame() {
        buf.writeByte('}');
        return new TextWebSocketFrame(buf);
    }

    public ByteBuf buffer() {
        buf.writeByte('}');
        return buf;
    }

    /**
     * {@code text} JSON-escaped, as UTF-8, without the quotes. A client can send an unpaired
     * surrogate as a valid JSON escape ({@code "\ud800"}) in an id or a user id; Jackson's encoder
     * refuses it, so it is written back as that same escape.
     */
    public static byte[] quote(String text) {
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        try {
            return encoder.quoteAsUTF8(text);
        } catch (IllegalArgumentException unpairedSurrogate) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
            int start = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    out.writeBytes(encoder.quoteAsUTF8(text.substring(start, i)));
                    out.writeBytes(String.format("\\u%04x", (int) c).getBytes(StandardCharsets.US_ASCII));
                    start = i + 1;
                }
            }
            out.writeBytes(encoder.quoteAsUTF8(text.substring(start)));
            return out.toByteArray();
        }
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
