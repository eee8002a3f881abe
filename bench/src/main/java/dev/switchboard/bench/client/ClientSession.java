package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Promise;
import java.nio.channels.ClosedChannelException;

/**
 * One WebSocket connection of the load generator: the last handler of its pipeline. It turns frames
 * into {@link FrameListener} calls through the {@link WireProtocol}, answers protocol chatter itself,
 * and completes {@code ready} once the connection can carry messages.
 */
public final class ClientSession extends SimpleChannelInboundHandler<WebSocketFrame> implements InboundSink {

    private final WireProtocol wire;
    private final String userId;
    private final FrameListener listener;
    private final Promise<ClientSession> ready;
    private Channel channel;
    private long nextAckId;

    ClientSession(WireProtocol wire, String userId, FrameListener listener, Promise<ClientSession> ready) {
        this.wire = wire;
        this.userId = userId;
        this.listener = listener;
        this.ready = ready;
    }

    /** The userId this connection registered as; null for a send-only connection. */
    public String userId() {
        return userId;
    }

    public Channel channel() {
        return channel;
    }

    public boolean isOpen() {
        return channel != null && channel.isActive();
    }

    /** Writes (without flushing) one message for {@code target}. Call on the session's event loop. */
    public void write(String target, long stampNanos, int payloadSize) {
        ByteBuf out = channel.alloc().ioBuffer(payloadSize + 64 + target.length());
        wire.encodeSend(out, target, stampNanos, payloadSize, nextAckId++);
        channel.write(new TextWebSocketFrame(out), channel.voidPromise());
    }

    public void flush() {
        channel.flush();
    }

    /** Sends a close frame and closes the connection. */
    public ChannelFuture close() {
        return channel.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE && wire.readyAfterHandshake()) {
            ready();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            wire.decode(frame.content(), userId == null, this);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        listener.onReadComplete(this);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready.tryFailure(new ClosedChannelException());
        listener.onClosed(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ready.tryFailure(cause);
        ctx.close();
    }

    @Override
    public void ready() {
        ready.trySuccess(this);
    }

    @Override
    public void reply(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    }

    @Override
    public void delivery(long stampNanos) {
        listener.onDelivery(this, stampNanos);
    }

    @Override
    public void ack(int delivered) {
        listener.onAck(this, delivered);
    }

    @Override
    public void error(String text) {
        listener.onError(this, text);
    }
}
