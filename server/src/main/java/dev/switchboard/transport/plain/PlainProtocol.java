package dev.switchboard.transport.plain;

import dev.switchboard.core.Publication;
import dev.switchboard.hub.Delivery;
import dev.switchboard.hub.SessionEvent;
import dev.switchboard.transport.FrameException;
import dev.switchboard.transport.InboundGate;
import dev.switchboard.transport.NettySession;
import dev.switchboard.transport.WireProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * The seed's protocol, spoken without a subprotocol: a client sends {@code {"userId","message"}},
 * the message goes to every connection of that user, the sender gets {@code {"userId","delivered":N}}
 * or an error frame; a connection receives each message's text and nothing else (no events). Only
 * the wire format is here; the rest is the {@link InboundGate}'s. Stateless and thread-safe: one
 * object serves every plain connection, reading on the sender's loop.
 */
public final class PlainProtocol implements WireProtocol, WireProtocol.Opening, WireProtocol.Inbound,
        WireProtocol.Outbound {
    private static final InboundGate.Refusal REFUSAL =
            (sender, code, text) -> PlainFrames.error(sender.channel().alloc(), code, text);

    private final InboundGate gate;
    private final PlainEncoder encoder = new PlainEncoder(ByteBufAllocator.DEFAULT);

    public PlainProtocol(InboundGate gate) {
        this.gate = gate;
    }

    @Override
    public String subprotocol() {
        return null;
    }

    /** Plain mode ignores query parameters it has no use for, as it always did. */
    @Override
    public Opening accept(FullHttpRequest request) {
        return this;
    }

    @Override
    public Outbound outbound() {
        return this;
    }

    @Override
    public Inbound inbound() {
        return this;
    }

    @Override
    public void opened(NettySession session) {
        // Nothing to say first: the tutorial's clients expect only messages and acks.
    }

    /** Handles one complete text or binary message from {@code sender}. */
    @Override
    public void onMessage(NettySession sender, ByteBuf content) {
        long arrived = gate.arrived();
        if (!gate.admit(sender, REFUSAL)) {
            return;
        }
        PlainSend send;
        try {
            send = parse(content);
        } catch (FrameException e) {
            gate.refuse(sender, REFUSAL, e.code(), e.getMessage());
            return;
        }
        if (!gate.permits(sender, send.userId(), REFUSAL)) {
            return;
        }
        gate.publish(sender, new Publication(send.userId(), send.message(), sender.userId()), arrived,
                result -> PlainFrames.ack(sender.channel().alloc(), send.userId(), result.delivered(), result.partial()),
                REFUSAL);
    }

    /** The message's text, encoded once per delivery and shared by the user's plain connections. */
    @Override
    public Result deliver(NettySession session, Delivery delivery) {
        session.send(new TextWebSocketFrame(delivery.frame(encoder).retainedDuplicate()));
        return Result.QUEUED;
    }

    @Override
    public void deliverEvent(NettySession session, SessionEvent event) {
        // The tutorial's contract has no events.
    }

    @Override
    public boolean resumable() {
        return false;
    }

    private static PlainSend parse(ByteBuf content) throws FrameException {
        if (content.hasArray()) {
            return PlainFrameParser.parse(content.array(), content.arrayOffset() + content.readerIndex(),
                    content.readableBytes());
        }
        byte[] bytes = ByteBufUtil.getBytes(content);
        return PlainFrameParser.parse(bytes, 0, bytes.length);
    }
}
