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
 * The seed's protocol: a client sends {@code {"userId","message"}}, the message goes to every
 * connection of that user, the sender gets {@code {"userId","delivered":N}} or an error frame.
 * Stateless and thread-safe; runs on the sender's event loop.
 */
final class PlainProtocol implements InboundProtocol {
    private static final Logger log = LoggerFactory.getLogger(PlainProtocol.class);

    private final Node node;
    private final Metrics metrics;
    private final Clock clock;
    private final FailureLog publishFailures;
    private final SendPolicy sendPolicy;
    private final int refusalsBeforeClose;
    private final String rateLimitedText;

    /**
     * @param refusalsBeforeClose rate-limited messages in a row after which the connection is
     *     closed with 1008
     */
    PlainProtocol(Node node, Metrics metrics, Clock clock, SendPolicy sendPolicy, double maxMessagesPerSecond,
                  int refusalsBeforeClose) {
        this.node = node;
        this.metrics = metrics;
        this.clock = clock;
        this.publishFailures = FailureLog.forPublishing(log, clock);
        this.sendPolicy = sendPolicy;
        this.refusalsBeforeClose = refusalsBeforeClose;
        this.rateLimitedText = rateLimitedText(maxMessagesPerSecond);
    }

    /** Handles one complete text or binary message from {@code sender}. */
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
            refuse(sender, ErrorCode.RATE_LIMITED, rateLimitedText);
            return;
        }
        PlainSend send;
        try {
            send = parse(content);
        } catch (FrameException e) {
            refuse(sender, e.code(), e.getMessage());
            return;
        }
        if (!sendPolicy.permits(sender.identity(), send.userId())) {
            refuse(sender, ErrorCode.FORBIDDEN, sendPolicy.refusal());
            return;
        }
        CompletableFuture<PublishResult> published =
                node.publish(new Publication(send.userId(), send.message(), sender.userId()));
        if (published.isDone() && !published.isCompletedExceptionally()) {
            acknowledge(sender, send.userId(), published.join(), start);
        } else {
            published.whenComplete((result, error) -> {
                if (error == null) {
                    acknowledge(sender, send.userId(), result, start);
                } else {
                    publishFailures.failed(error);
                    refuse(sender, PublishErrors.code(error), PublishErrors.sendText(error));
                }
            });
        }
    }

    private void refuse(NettySession sender, ErrorCode code, String text) {
        metrics.error(code);
        sender.send(PlainFrames.error(sender.channel().alloc(), code, text));
    }

    /** The text of a {@code rate_limited} error, in both protocols. */
    static String rateLimitedText(double maxMessagesPerSecond) {
        String rate = maxMessagesPerSecond == Math.rint(maxMessagesPerSecond)
                ? Long.toString((long) maxMessagesPerSecond) : Double.toString(maxMessagesPerSecond);
        return "too many messages: at most " + rate + " per second; this one was dropped";
    }

    private void acknowledge(NettySession sender, String userId, PublishResult result, long start) {
        metrics.messageRouted(result.delivered(), clock.nanoTime() - start);
        sender.send(PlainFrames.ack(sender.channel().alloc(), userId, result.delivered(), result.partial()));
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
