package dev.switchboard.transport;

import dev.switchboard.auth.AuthenticationException;
import dev.switchboard.auth.Authenticator;
import dev.switchboard.auth.Credentials;
import dev.switchboard.auth.SendPolicy;
import dev.switchboard.core.Identity;
import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.Clock;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.ErrorCode;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.IdempotencyKeyReusedException;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.node.Node;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What every protocol does around a client's message, in one place: counting and rate-limiting
 * it, checking the send policy, and publishing then answering — the protocol supplies only its
 * wire format (the frames of an answer or a refusal). Stateless and thread-safe; called on the
 * sender's event loop.
 */
public final class InboundGate {
    private final Node node;
    private final Metrics metrics;
    private final Clock clock;
    private final SendPolicy sendPolicy;
    private final int refusalsBeforeClose;
    private final String rateLimitedText;
    private final Authenticator authenticator;

    /** How a protocol words a refusal of one request, and where that request's answers go. */
    @FunctionalInterface
    public interface Refusal {
        /** The frame that tells the sender its request was refused with {@code code}. */
        Object frame(NettySession sender, ErrorCode code, String text);

        /** Sends the request's answer (a refusal, or the ack): down the connection unless overridden. */
        default void answer(NettySession sender, Object frame) {
            sender.send(frame);
        }
    }

    /**
     * @param refusalsBeforeClose rate-limited messages in a row after which the connection is
     *     closed with 1008
     */
    /**
     * @param authenticator the handshake's, which checks a token a connection brings to refresh its
     *     own ({@link #refresh}); {@code null} refuses every refresh
     */
    public InboundGate(Node node, Metrics metrics, Clock clock, SendPolicy sendPolicy, double maxMessagesPerSecond,
                       int refusalsBeforeClose, Authenticator authenticator) {
        this.authenticator = authenticator;
        this.node = node;
        this.metrics = metrics;
        this.clock = clock;
        this.sendPolicy = sendPolicy;
        this.refusalsBeforeClose = refusalsBeforeClose;
        this.rateLimitedText = rateLimitedText(maxMessagesPerSecond);
    }

    /** The time a message arrived, for the routing latency ({@link Node#publish(Publication, long)}). */
    public long arrived() {
        return clock.nanoTime();
    }

    /**
     * Lets a message in: counts it and takes it from the connection's rate limit.
     *
     * @return whether to handle it; if not, it was refused, or the connection is closing (1008)
     */
    public boolean admit(NettySession sender, Refusal refusal) {
        metrics.frameReceived();
        int refused = sender.refusedByRateLimit();
        if (refused > refusalsBeforeClose) {
            sender.close(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
            return false;
        }
        if (refused > 0) {
            refuse(sender, refusal, ErrorCode.RATE_LIMITED, rateLimitedText);
            return false;
        }
        return true;
    }

    /**
     * A fresh token for the connection's own user: checked exactly as at the handshake, then the
     * connection takes its expiry and claims. Anything else — dev mode, an invalid or expired token,
     * another user's — is refused with {@code unauthorized}, and the connection keeps its identity
     * and expiry. Verifying is CPU work only, so this runs on the loop.
     *
     * @return the new identity, or {@code null} if refused
     */
    public Identity refresh(NettySession sender, String token, Refusal refusal) {
        if (authenticator == null || !authenticator.verifies()) {
            refuse(sender, refusal, ErrorCode.UNAUTHORIZED,
                    "this server is in dev mode: a connection has no token to refresh, and never expires");
            return null;
        }
        Identity next;
        try {
            next = authenticator.authenticate(new Credentials(token, null));
        } catch (AuthenticationException e) {
            refuse(sender, refusal, ErrorCode.UNAUTHORIZED, e.getMessage() + "; the connection keeps its token");
            return null;
        }
        if (!java.util.Objects.equals(next.userId(), sender.userId())) {
            refuse(sender, refusal, ErrorCode.UNAUTHORIZED, "the token is for another user; the connection keeps its token");
            return null;
        }
        sender.refresh(next);
        return next;
    }

    /** Whether the send policy lets {@code sender} address {@code target}; refuses it if not. */
    public boolean permits(NettySession sender, String target, Refusal refusal) {
        if (sendPolicy.permits(sender.identity(), target)) {
            return true;
        }
        refuse(sender, refusal, ErrorCode.FORBIDDEN, sendPolicy.refusal());
        return false;
    }

    /** Answers a request with an error, and counts it. */
    public void refuse(NettySession sender, Refusal refusal, ErrorCode code, String text) {
        metrics.error(code);
        refusal.answer(sender, refusal.frame(sender, code, text));
    }

    /**
     * Publishes, then answers the sender: the frame {@code ack} makes of the result, or the error the
     * failure calls for ({@code unavailable} when nothing was sent, else {@code internal_error}).
     * Answers at once when the broker did (a single node).
     */
    public void publish(NettySession sender, Publication publication, long arrivedNanos,
                        Function<PublishResult, Object> ack, Refusal refusal) {
        publish(sender, publication, arrivedNanos, null, ack, refusal);
    }

    /**
     * Like {@link #publish(NettySession, Publication, long, Function, Refusal)}, once per
     * idempotency key: a repeat is acknowledged with the first publish's result, marked duplicate;
     * a key used for another user or message is refused with {@code idempotency_key_reused}.
     */
    public void publish(NettySession sender, Publication publication, long arrivedNanos, IdempotencyKey key,
                        Function<PublishResult, Object> ack, Refusal refusal) {
        CompletableFuture<PublishResult> published = node.publish(publication, arrivedNanos, key);
        if (published.isDone() && !published.isCompletedExceptionally()) {
            refusal.answer(sender, ack.apply(published.join()));
            return;
        }
        published.whenComplete((result, error) -> {
            if (error == null) {
                refusal.answer(sender, ack.apply(result));
            } else {
                refuse(sender, refusal, failureCode(error), sendFailureText(error));
            }
        });
    }

    /** The error code of a request the broker could not carry out. */
    public static ErrorCode failureCode(Throwable error) {
        if (IdempotencyKeyReusedException.is(error)) {
            return ErrorCode.IDEMPOTENCY_KEY_REUSED;
        }
        return BrokerUnavailableException.is(error) ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
    }

    /** The text for a send the broker could not carry out. */
    public static String sendFailureText(Throwable error) {
        if (IdempotencyKeyReusedException.is(error)) {
            return "this idempotencyKey was already used for another user or message; nothing was sent";
        }
        if (BrokerUnavailableException.isFull(error)) {
            return "the cluster's Redis is full (maxmemory), so nothing was sent; try again later";
        }
        return BrokerUnavailableException.is(error)
                ? "this node cannot reach its cluster's broker, so nothing was sent; try again later or on another node"
                : "the message could not be routed; try again";
    }

    /** The text for a presence query the broker could not answer. */
    public static String presenceFailureText(Throwable error) {
        if (BrokerUnavailableException.isFull(error)) {
            return "the cluster's Redis is full (maxmemory); try again later";
        }
        return BrokerUnavailableException.is(error)
                ? "this node cannot reach its cluster's broker; try again later or on another node"
                : "presence is unavailable; try again";
    }

    /** The text of a {@code rate_limited} error. */
    static String rateLimitedText(double maxMessagesPerSecond) {
        return "too many messages: at most " + rate(maxMessagesPerSecond) + " per second; this one was dropped";
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }
}
