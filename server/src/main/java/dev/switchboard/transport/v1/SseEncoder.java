package dev.switchboard.transport.v1;

import dev.switchboard.transport.JsonFrameWriter;
import dev.switchboard.transport.NettySession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.util.ByteProcessor;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * switchboard.v1 over server-sent events: writes the frames a v1 session sends as events of a
 * {@code text/event-stream} (chunks of the HTTP response the stream's {@code GET /sse} opened).
 * <ul>
 *   <li>a v1 frame: {@code data: <the same JSON as over WebSocket>}; a {@code message} adds
 *       {@code id: <epoch>:<seq>}, which a reconnecting {@code EventSource} sends back as
 *       {@code Last-Event-ID};</li>
 *   <li>a ping: the comment {@code : ping}, which keeps proxies from closing an idle stream;</li>
 *   <li>the close: {@code data: {"type":"close","code":N,"reason":"…"}}, then the end of the
 *       response (the session closes the socket once it is flushed).</li>
 * </ul>
 * JSON has no line breaks outside strings, but a message's JSON is kept exactly as its sender wrote
 * it, whitespace included: a line break in it continues the event with another {@code data:} line,
 * which the client's SSE parser joins back with {@code \n}. One per connection; runs on its loop.
 */
final class SseEncoder extends MessageToMessageEncoder<WebSocketFrame> {
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEXT_LINE = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf PING = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer(": ping\n\n", StandardCharsets.US_ASCII));

    private final NettySession session;

    SseEncoder(NettySession session) {
        super(WebSocketFrame.class);
        this.session = session;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof TextWebSocketFrame text) {
            String id = text instanceof MessageFrame message ? message.eventId() : null;
            out.add(new DefaultHttpContent(event(ctx, id, text.content())));
        } else if (frame instanceof PingWebSocketFrame) {
            session.touch();
            out.add(new DefaultHttpContent(PING.duplicate()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            ByteBuf json = new JsonFrameWriter(ctx.alloc(), 96).string("type", "close")
                    .number("code", close.statusCode()).string("reason", close.reasonText()).buffer();
            try {
                out.add(new DefaultHttpContent(event(ctx, null, json)));
            } finally {
                json.release();
            }
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        // Nothing else is written to an SSE session (a pong answers a WebSocket ping only).
    }

    /** {@code [id: …\n]data: …\n\n}, the data's line breaks continued as further data lines. */
    private static ByteBuf event(ChannelHandlerContext ctx, String id, ByteBuf data) {
        CompositeByteBuf event = ctx.alloc().compositeBuffer();
        if (id != null) {
            ByteBuf head = ctx.alloc().buffer(ID.length + id.length() + 1);
            head.writeBytes(ID).writeCharSequence(id, StandardCharsets.UTF_8);
            head.writeByte('\n');
            event.addComponent(true, head);
        }
        event.addComponent(true, Unpooled.wrappedBuffer(DATA));
        int from = data.readerIndex();
        int end = data.writerIndex();
        int i;
        while ((i = data.forEachByte(from, end - from, ByteProcessor.FIND_CRLF)) >= 0) {
            event.addComponent(true, data.retainedSlice(from, i - from));
            event.addComponent(true, Unpooled.wrappedBuffer(NEXT_LINE));
            boolean crlf = data.getByte(i) == '\r' && i + 1 < end && data.getByte(i + 1) == '\n';
            from = crlf ? i + 2 : i + 1;
        }
        event.addComponent(true, data.retainedSlice(from, end - from));
        event.addComponent(true, Unpooled.wrappedBuffer(END));
        return event;
    }
}
