package dev.switchboard.transport.v1;

import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.ErrorCode;
import dev.switchboard.core.Identity;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.Publication;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;
import dev.switchboard.node.Node;
import dev.switchboard.transport.FrameException;
import dev.switchboard.transport.InboundGate;
import dev.switchboard.transport.NettySession;
import dev.switchboard.transport.WireProtocol;
import dev.switchboard.transport.http.HttpException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code switchboard.v1}: typed JSON envelopes, ordered streams, recovery, receipts, presence.
 * Client to server: {@code send} (answered by {@code ack}), {@code presence} (answered by
 * {@code presence}), {@code received} (routes a receipt to the sender), {@code ping} (answered by
 * {@code pong}); anything wrong gets an {@code error} naming the request's id. Server to client:
 * the {@code welcome} first, then messages in seq order ({@link EnvelopeOutbound}). Limits and the
 * send policy apply as in plain mode ({@link InboundGate}); the policy also governs presence
 * queries. Thread-safe; reads run on the sender's event loop.
 */
public final class EnvelopeProtocol implements WireProtocol, WireProtocol.Inbound {
    /** The subprotocol a client offers to speak it. */
    public static final String SUBPROTOCOL = "switchboard.v1";
    private static final Logger log = LoggerFactory.getLogger(EnvelopeProtocol.class);

    private final Node node;
    private final InboundGate gate;
    private final EnvelopeEncoder encoder = new EnvelopeEncoder(ByteBufAllocator.DEFAULT);

    public EnvelopeProtocol(Node node, InboundGate gate) {
        this.node = node;
        this.gate = gate;
    }

    @Override
    public String subprotocol() {
        return SUBPROTOCOL;
    }

    /** v1 is also spoken over server-sent events ({@code GET /sse}). */
    @Override
    public boolean overSse() {
        return true;
    }

    @Override
    public io.netty.channel.ChannelOutboundHandler sseEncoder(NettySession session) {
        return new SseEncoder(session);
    }

    /** Reads where a resuming client left off ({@code ?since=&epoch=}); a malformed position is a 400. */
    @Override
    public Opening accept(FullHttpRequest request) throws HttpException {
        Resume resume = Resume.of(request);
        EnvelopeOutbound outbound = new EnvelopeOutbound(encoder);
        return new Opening() {
            @Override
            public Outbound outbound() {
                return outbound;
            }

            @Override
            public Inbound inbound() {
                return EnvelopeProtocol.this;
            }

            @Override
            public void opened(NettySession session) {
                welcome(session, outbound, resume);
            }
        };
    }

    /**
     * Reads the user's stream — the missed messages when resuming, else the position — and starts
     * the session with its welcome. The session is registered already, so nothing published from
     * now on can fall between the read and the live flow.
     */
    private void welcome(NettySession session, EnvelopeOutbound outbound, Resume resume) {
        String userId = session.userId();
        if (userId == null) {
            start(session, outbound, new Recovery(false, List.of(), new StreamPosition(0, null)), false);
            return;
        }
        CompletableFuture<Recovery> read = resume.requested()
                ? node.recover(userId, resume.since(), resume.epoch())
                : node.position(userId).thenApply(position -> new Recovery(false, List.of(), position));
        read.whenComplete((recovery, error) -> {
            if (error != null) {
                log.warn("could not read the stream of a connecting user", error);
                session.close(CloseCodes.INTERNAL_ERROR, "stream unavailable");
            } else {
                start(session, outbound, recovery, resume.requested());
            }
        });
    }

    private static void start(NettySession session, EnvelopeOutbound outbound, Recovery recovery, boolean resumed) {
        if (session.locked(() -> outbound.start(session, recovery, resumed)) == Outbound.Result.RESET) {
            session.close(CloseCodes.SERVICE_RESTART, CloseCodes.STREAM_RESET_REASON);
        }
    }

    @Override
    public void onMessage(NettySession sender, ByteBuf content) {
        onRequest(sender, content, Reply.STREAM);
    }

    @Override
    public void onRequest(NettySession sender, ByteBuf content, Reply reply) {
        long arrived = gate.arrived();
        // A refusal names the dropped request (read only then), so a client knows which one to retry.
        InboundGate.Refusal unread = new Answers(null, reply) {
            @Override
            public Object frame(NettySession session, ErrorCode code, String text) {
                return EnvelopeFrames.error(session.channel().alloc(), requestId(content), code, text);
            }
        };
        if (!gate.admit(sender, unread)) {
            return;
        }
        EnvelopeRequest request;
        try {
            byte[] bytes = ByteBufUtil.getBytes(content);
            request = EnvelopeParser.parse(bytes, 0, bytes.length);
        } catch (FrameException e) {
            gate.refuse(sender, new Answers(e.requestId(), reply), e.code(), e.getMessage());
            return;
        }
        Answers answers = new Answers(request.id(), reply);
        switch (request.type()) {
            case EnvelopeParser.SEND -> send(sender, request, arrived, answers);
            case EnvelopeParser.PRESENCE -> presence(sender, request, answers);
            case EnvelopeParser.RECEIVED -> received(sender, request, reply);
            case EnvelopeParser.REFRESH -> refresh(sender, request, answers);
            default -> reply.answer(sender, EnvelopeFrames.pong(sender.channel().alloc(), request.id()));
        }
    }

    private void send(NettySession sender, EnvelopeRequest request, long arrived, Answers answers) {
        if (!gate.permits(sender, request.target(), answers)) {
            return;
        }
        Publication.ReceiptRequest receipt = request.receipt()
                ? new Publication.ReceiptRequest(sender.id(), request.id()) : null;
        IdempotencyKey key = request.idempotencyKey() == null ? null
                : IdempotencyKey.of(sender.userId(), sender.id(), request.idempotencyKey());
        gate.publish(sender, Publication.of(request.target(), request.message(), sender.userId(), receipt), arrived,
                key, result -> EnvelopeFrames.ack(sender.channel().alloc(), request.id(), request.target(),
                        result.delivered(), result.seq(), result.partial(), result.duplicate()),
                answers);
    }

    private void presence(NettySession sender, EnvelopeRequest request, Answers answers) {
        if (!gate.permits(sender, request.target(), answers)) {
            return;
        }
        node.userConnections(request.target()).whenComplete((count, error) -> {
            if (error != null) {
                gate.refuse(sender, answers, InboundGate.failureCode(error), InboundGate.presenceFailureText(error));
                return;
            }
            answers.answer(sender, EnvelopeFrames.presence(sender.channel().alloc(), request.id(), request.target(),
                    count > 0, count));
        });
    }

    private void received(NettySession sender, EnvelopeRequest request, Reply reply) {
        EnvelopeOutbound outbound = (EnvelopeOutbound) sender.outbound();
        Publication.ReceiptRequest receipt = sender.locked(() -> outbound.confirm(request.seq()));
        if (receipt != null) {
            node.receipt(receipt, sender.userId(), request.seq(), sender.id());
        }
        // Confirming a message that asked for no receipt, or twice, is harmless: nothing to answer.
        reply.none();
    }

    /** A fresh token for the same user moves the connection's expiry ({@link InboundGate#refresh}). */
    private void refresh(NettySession sender, EnvelopeRequest request, Answers answers) {
        Identity next = gate.refresh(sender, request.token(), answers);
        if (next != null) {
            answers.answer(sender, EnvelopeFrames.refreshed(sender.channel().alloc(), request.id(),
                    next.expiresAtMillis()));
        }
    }

    /** The id of the request in {@code content}, or {@code null}: only for a request that is refused unread. */
    private static String requestId(ByteBuf content) {
        try {
            byte[] bytes = ByteBufUtil.getBytes(content);
            return EnvelopeParser.parse(bytes, 0, bytes.length).id();
        } catch (FrameException e) {
            return e.requestId();
        }
    }

    /** The answers to one request: refusals name it, and everything goes to its {@link Reply}. */
    private static class Answers implements InboundGate.Refusal {
        private final String requestId;
        private final Reply reply;

        Answers(String requestId, Reply reply) {
            this.requestId = requestId;
            this.reply = reply;
        }

        @Override
        public Object frame(NettySession sender, ErrorCode code, String text) {
            return EnvelopeFrames.error(sender.channel().alloc(), requestId, code, text);
        }

        @Override
        public void answer(NettySession sender, Object frame) {
            reply.answer(sender, frame);
        }
    }
}
