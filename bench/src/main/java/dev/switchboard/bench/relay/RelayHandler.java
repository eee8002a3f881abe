package dev.switchboard.bench.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;

/**
 * The relay's whole application logic, one instance per connection: register under the handshake's
 * userId, and for each {@code {"userId","message"}} write the message to that user's channels and
 * answer {@code {"userId","delivered":N}}. Nothing else (no auth, no limits, no queues): the least
 * work that still routes, to show what this machine can do at best.
 */
final class RelayHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {

    private static final JsonFactory JSON = new JsonFactory();

    private final RelayRegistry registry;
    private String userId;

    RelayHandler(RelayRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeComplete handshake) {
            List<String> ids = new QueryStringDecoder(handshake.requestUri()).parameters().get("userId");
            if (ids != null && !ids.isEmpty() && !ids.get(0).isEmpty()) {
                userId = ids.get(0);
                registry.add(userId, ctx.channel());
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    /** Answers are flushed once per read batch, not once per message: one syscall for many acks. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.flush();
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (userId != null) {
            registry.remove(userId, ctx.channel());
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws IOException {
        String target = null;
        ByteBuf message = null;
        try (JsonParser p = JSON.createParser(ByteBufUtil.getBytes(frame.content()))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                answerError(ctx, "expected a JSON object");
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("userId".equals(field) && value == JsonToken.VALUE_STRING) {
                    target = p.getText();
                } else if ("message".equals(field) && message == null) {
                    message = messageText(ctx, p, value);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException malformed) {
            release(message);
            answerError(ctx, "invalid JSON");
            return;
        }
        if (target == null || target.isEmpty() || message == null) {
            release(message);
            answerError(ctx, target == null || target.isEmpty() ? "userId is required" : "message is required");
            return;
        }
        Set<Channel> channels = registry.channelsOf(target);
        int delivered = 0;
        for (Channel channel : channels) {
            channel.writeAndFlush(new TextWebSocketFrame(message.retainedDuplicate()), channel.voidPromise());
            delivered++;
        }
        message.release();
        answer(ctx, target, delivered);
    }

    /** A string message goes out verbatim, anything else as compact JSON text. */
    private static ByteBuf messageText(ChannelHandlerContext ctx, JsonParser p, JsonToken value) throws IOException {
        ByteBuf out = ctx.alloc().buffer();
        if (value == JsonToken.VALUE_STRING) {
            ByteBufUtil.writeUtf8(out, p.getText());
            return out;
        }
        try (JsonGenerator g = generator(out)) {
            g.copyCurrentStructure(p);
        } catch (IOException e) {
            out.release();
            throw e;
        }
        return out;
    }

    private static void answer(ChannelHandlerContext ctx, String target, int delivered) throws IOException {
        ByteBuf out = ctx.alloc().buffer();
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeStringField("userId", target);
            g.writeNumberField("delivered", delivered);
            g.writeEndObject();
        }
        ctx.write(new TextWebSocketFrame(out), ctx.voidPromise());
    }

    private static void answerError(ChannelHandlerContext ctx, String error) throws IOException {
        ByteBuf out = ctx.alloc().buffer();
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeStringField("error", error);
            g.writeStringField("code", "bad_request");
            g.writeEndObject();
        }
        ctx.write(new TextWebSocketFrame(out), ctx.voidPromise());
    }

    /** ByteBufOutputStream is also a DataOutput; the cast picks Jackson's OutputStream overload. */
    private static JsonGenerator generator(ByteBuf out) throws IOException {
        return JSON.createGenerator((OutputStream) new ByteBufOutputStream(out));
    }

    private static void release(ByteBuf buf) {
        if (buf != null) {
            buf.release();
        }
    }
}
