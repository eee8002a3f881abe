package dev.switchboard.transport.v1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * A v1 {@code message} frame that knows its place in the stream: a WebSocket sends it as any text
 * frame, and SSE gives it the event id {@code <epoch>:<seq>} a reconnecting {@code EventSource}
 * sends back as {@code Last-Event-ID}.
 */
public final class MessageFrame extends TextWebSocketFrame {
    private final String epoch;
    private final long seq;

    MessageFrame(ByteBuf json, String epoch, long seq) {
        super(json);
        this.epoch = epoch;
        this.seq = seq;
    }

    /** The epoch of the connection's stream ({@code null} for none). */
    public String epoch() {
        return epoch;
    }

    /** The message's seq in its user's stream. */
    public long seq() {
        return seq;
    }

    /** The SSE event id: {@code <epoch>:<seq>}, read back by {@link Resume}. */
    public String eventId() {
        return (epoch == null ? "" : epoch) + ":" + seq;
    }
}
