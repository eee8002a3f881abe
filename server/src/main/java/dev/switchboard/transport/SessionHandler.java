package dev.switchboard.transport;

import dev.switchboard.core.LogSafe;

import dev.switchboard.core.CloseCodes;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an upgraded connection: feeds complete messages to the protocol, answers
 * control frames, and turns transport failures into documented close codes.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    private final NettySession session;
    private final WireProtocol.Inbound protocol;

    SessionHandler(NettySession session, WireProtocol.Inbound protocol) {
        this.session = session;
        this.protocol = protocol;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            session.touch();
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                if (session.isClosing()) {
                    return; // a message that crossed our close frame: RFC 6455 lets us drop it
                }
                protocol.onMessage(session, ((io.netty.buffer.ByteBufHolder) msg).content());
            } else if (msg instanceof PingWebSocketFrame ping) {
                session.send(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame close) {
                session.closedByPeer(close.statusCode(), close.reasonText());
            }
            // A pong only proves the peer is alive, which touch() recorded.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            session.close(CloseCodes.SLOW_CONSUMER, "slow consumer");
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.channelClosed();
        if (log.isInfoEnabled()) {
            log.info("disconnect user={} conn={} remote={} code={} reason=\"{}\" duration={}ms",
                    LogSafe.text(session.userId()), session.id(), session.remoteAddress(),
                    session.closeCode(), LogSafe.text(session.closeReason()), session.ageMillis());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            // The decoder or UTF-8 validator only reports (closeOnProtocolViolation is off):
            // close() unregisters before it sends the close frame.
            session.close(corrupted.closeStatus().code(), corrupted.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            session.close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
        } else if (cause instanceof DecompressionException) {
            // permessage-deflate: a frame that inflates past the limit, or data that does not inflate.
            boolean tooBig = String.valueOf(cause.getMessage()).contains("maximum size");
            session.close(tooBig ? CloseCodes.MESSAGE_TOO_BIG : CloseCodes.INVALID_PAYLOAD,
                    tooBig ? "message too big" : "invalid compressed data");
        } else if (cause instanceof java.io.IOException || cause instanceof PrematureChannelClosureException) {
            // The peer went away (the aggregator reports it when a fragmented message was open).
            log.debug("connection {} I/O error: {}", session.id(), cause.toString());
            ctx.close();
        } else {
            log.warn("connection {} failed; closing it", session.id(), cause);
            session.close(CloseCodes.INTERNAL_ERROR, "internal error");
        }
    }
}
