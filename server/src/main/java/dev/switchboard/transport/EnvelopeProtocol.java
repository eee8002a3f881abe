package dev.switchboard.transport;

import dev.switchboard.auth.SendPolicy;
import dev.switchboard.core.Clock;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.ErrorCode;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.node.Node;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * {@code switchboard.v1}, client to server: {@code send} (answered by {@code ack}), {@code presence}
 * (answered by {@code presence}), {@code received} (routes a receipt to the sender), {@code ping}
 * (answered by {@code pong}); anything wrong gets an {@code error} naming the request's id. Limits
 * and the send policy apply as in plain mode; the policy also governs presence queries. Stateless
 * and thread-safe; runs on the sender's event loop.
 */
final class EnvelopeProtocol implements InboundProtocol {
    private static final Logger log = LoggerFactory.getLogger(EnvelopeProtocol.class);

    private final Node node;
    private final Metrics metrics;
    private final Clock clock;
    private final FailureLog publishFailures;
    private final SendPolicy sendPolicy;
    private final int refusalsBeforeClose;
    private final String rateLimitedText;

    EnvelopeProtocol(Node node, Metrics metrics, Clock clock, SendPolicy sendPolicy, double maxMessagesPerSecond,
                     int refusalsBeforeClose) {
        this.node = node;
        this.metrics = metrics;
        this.clock = clock;
        this.publishFailures = FailureLog.forPublishing(log, clock);
        this.sendPolicy = sendPolicy;
        this.rateLimitedText = PlainProtocol.rateLimitedText(maxMessagesPerSecond);
        this.refusalsBeforeClose = refusalsBeforeClose;
    }

    @Override
    public void onMessage(NettySession sender, ByteBuf content) {
        long start = clock.nanoTime();
        metrics.frameReceived();
        int refused = sender.refusedByRateLimit();
        if (refused > refusalsBeforeClose) {
            sender.close(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
            return;
        }
        if (refused > 0) {
            refuse(sender, null, ErrorCode.RATE_LIMITED, rateLimitedText);
            return;
        }
        EnvelopeRequest request;
        try {
            byte[] bytes = ByteBufUtil.getBytes(content);
            request = EnvelopeParser.parse(bytes, 0, bytes.length);
        } catch (FrameException e) {
            refuse(sender, e.requestId(), e.code(), e.getMessage());
            return;
        }
        switch (request.type()) {
            case EnvelopeParser.SEND -> send(sender, request, start);
            case EnvelopeParser.PRESENCE -> presence(sender, request);
            case EnvelopeParser.RECEIVED -> received(sender, request);
            default -> sender.send(EnvelopeFrames.pong(sender.channel().alloc(), request.id()));
        }
    }

    private void send(NettySession sender, EnvelopeRequest request, long start) {
        if (!permitted(sender, request)) {
            return;
        }
        Publication.ReceiptRequest receipt = request.receipt()
                ? new Publication.ReceiptRequest(sender.id(), request.id()) : null;
        CompletableFuture<PublishResult> published =
                node.publish(Publication.of(request.target(), request.message(), sender.userId(), receipt));
        published.whenComplete((result, error) -> {
            if (error != null) {
                publishFailures.failed(error);
                refuse(sender, request.id(), PublishErrors.code(error), PublishErrors.sendText(error));
                return;
            }
            metrics.messageRouted(result.delivered(), clock.nanoTime() - start);
            sender.send(EnvelopeFrames.ack(sender.channel().alloc(), request.id(), request.target(),
                    result.delivered(), result.seq(), result.partial()));
        });
    }

    private void presence(NettySession sender, EnvelopeRequest request) {
        if (!permitted(sender, request)) {
            return;
        }
        node.userConnections(request.target()).whenComplete((count, error) -> {
            if (error != null) {
                refuse(sender, request.id(), PublishErrors.code(error), PublishErrors.presenceText(error));
                return;
            }
            sender.send(EnvelopeFrames.presence(sender.channel().alloc(), request.id(), request.target(),
                    count > 0, count));
        });
    }

    private void received(NettySession sender, EnvelopeRequest request) {
        Publication.ReceiptRequest receipt = sender.confirmReceipt(request.seq());
        if (receipt != null) {
            node.receipt(receipt, sender.userId(), request.seq(), sender.id());
        }
        // Confirming a message that asked for no receipt, or twice, is harmless: nothing to answer.
    }

    private boolean permitted(NettySession sender, EnvelopeRequest request) {
        if (sendPolicy.permits(sender.identity(), request.target())) {
            return true;
        }
        refuse(sender, request.id(), ErrorCode.FORBIDDEN,
                sendPolicy.refusal());
        return false;
    }

    private void refuse(NettySession sender, String id, ErrorCode code, String text) {
        metrics.error(code);
        sender.send(EnvelopeFrames.error(sender.channel().alloc(), id, code, text));
    }
}
