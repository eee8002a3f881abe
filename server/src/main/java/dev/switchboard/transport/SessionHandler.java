package dev.switchboard.transport;

import dev.switchboard.core.LogSafe;

import dev.switchboard.core.CloseCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The last handler of an upgraded connection: reassembles fragmented messages (within
 * {@code --max-message-bytes}, else 1009), checks that a text message is UTF-8 (else 1007), feeds
 * complete messages to the protocol, answers control frames, and turns transport failures into
 * documented close codes.
 *
 * <p>Reassembly and the UTF-8 check are here rather than in Netty's aggregator and validator
 * handlers: two fewer handlers and contexts per connection (about 200 bytes of heap each idle
 * connection no longer holds), and nothing is allocated until a message actually arrives in
 * fragments. Netty's frame decoder still enforces the framing rules (a continuation with nothing
 * to continue, a new message inside a fragmented one: 1002).
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
    /** Fragments kept as parts before they are copied into one buffer (Netty's aggregator default). */
    private static final int MAX_PARTS = 1024;

    private final NettySession session;
    private final WireProtocol.Inbound protocol;
    private final int maxMessageBytes;
    /** The fragmented message in progress, or null. Confined to the loop. */
    private CompositeByteBuf fragments;
    private boolean fragmentsAreText;

    SessionHandler(NettySession session, WireProtocol.Inbound protocol, int maxMessageBytes) {
        this.session = session;
        this.protocol = protocol;
        this.maxMessageBytes = maxMessageBytes;
    }

    NettySession session() {
        return session;
    }

    /** The protocol reading this connection's messages. */
    WireProtocol.Inbound inbound() {
        return protocol;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            session.touch();
            if (msg instanceof ContinuationWebSocketFrame more) {
                continued(more);
            } else if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                WebSocketFrame frame = (WebSocketFrame) msg;
                if (frame.isFinalFragment()) {
                    message(frame instanceof TextWebSocketFrame, frame.content());
                } else {
                    started(ctx, frame);
                }
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

    /** The first fragment of a message (the decoder refuses one while another is open: 1002). */
    private void started(ChannelHandlerContext ctx, WebSocketFrame first) {
        releaseFragments();
        fragments = ctx.alloc().compositeBuffer(MAX_PARTS);
        fragmentsAreText = first instanceof TextWebSocketFrame;
        append(first.content());
    }

    private void continued(ContinuationWebSocketFrame more) {
        if (fragments == null) {
            return; // the rest of a message already refused as too big
        }
        append(more.content());
        if (fragments != null && more.isFinalFragment()) {
            CompositeByteBuf whole = fragments;
            fragments = null;
            try {
                message(fragmentsAreText, whole);
            } finally {
                whole.release();
            }
        }
    }

    private void append(ByteBuf part) {
        fragments.addComponent(true, part.retain());
        if (fragments.readableBytes() > maxMessageBytes) {
            releaseFragments();
            session.close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
        }
    }

    private void message(boolean text, ByteBuf content) {
        if (session.isClosing()) {
            return; // a message that crossed our close frame: RFC 6455 lets us drop it
        }
        if (text && !ByteBufUtil.isText(content, StandardCharsets.UTF_8)) {
            session.close(CloseCodes.INVALID_PAYLOAD, "bytes are not UTF-8");
            return;
        }
        protocol.onMessage(session, content);
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseFragments();
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
        releaseFragments();
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
