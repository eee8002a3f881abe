package dev.switchboard.transport;

import dev.switchboard.core.Clock;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.Identity;
import dev.switchboard.hub.Delivery;
import dev.switchboard.core.Publication;
import dev.switchboard.core.Recovery;
import dev.switchboard.hub.Session;
import dev.switchboard.hub.SessionEvent;
import dev.switchboard.limits.TokenBucket;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.node.Node;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A WebSocket connection as a {@link Session}. Every frame the server writes to it — deliveries,
 * acks, errors, pings — goes through its loop's {@link OutboundBatcher}, so they keep one order
 * and share flushes.
 *
 * <p>Closing: {@link #close} unregisters the session at once (so no count includes it), then sends
 * the close frame and closes the socket when the frame is flushed, or after the close timeout if
 * the peer does not read.
 */
final class NettySession implements Session {
    private final String id;
    private final Identity identity;
    private final Channel channel;
    private final OutboundBatcher batcher;
    private final PlainEncoder encoder;
    /** The switchboard.v1 state, or {@code null} for a plain-mode connection. */
    private final EnvelopeOutbound envelope;
    private final Node node;
    private final Metrics metrics;
    private final Clock clock;
    private final long closeTimeoutMillis;
    private final long openedNanos;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile long lastActivityNanos;

    // Confined to the channel's event loop.
    boolean flushPending;
    private int closeCode = CloseCodes.ABNORMAL;
    private String closeReason = "";
    /** Set once a close frame is written: no frame may follow it, while frames queued before it still go out. */
    private boolean closeFrameWritten;

    // Confined to the channel's event loop: the inbound rate limit.
    private final TokenBucket rateLimit;
    private int refusedInARow;

    /**
     * @param rateLimit the inbound rate limit, or {@code null} for none
     */
    NettySession(String id, Identity identity, Channel channel, OutboundBatcher batcher, PlainEncoder encoder,
                 EnvelopeOutbound envelope, Node node, Metrics metrics, Clock clock, long closeTimeoutMillis,
                 TokenBucket rateLimit) {
        this.envelope = envelope;
        this.id = id;
        this.identity = identity;
        this.rateLimit = rateLimit;
        this.channel = channel;
        this.batcher = batcher;
        this.encoder = encoder;
        this.node = node;
        this.metrics = metrics;
        this.clock = clock;
        this.closeTimeoutMillis = closeTimeoutMillis;
        this.openedNanos = clock.nanoTime();
        this.lastActivityNanos = openedNanos;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String userId() {
        return identity.userId();
    }

    Identity identity() {
        return identity;
    }

    @Override
    public long expiresAtMillis() {
        return identity.expiresAtMillis();
    }

    /**
     * Takes one message from the rate limit. Runs on the loop.
     *
     * @return how many messages were refused in a row, counting this one: 0 if it is allowed
     */
    int refusedByRateLimit() {
        if (rateLimit == null || rateLimit.tryAcquire()) {
            refusedInARow = 0;
        } else {
            refusedInARow++;
        }
        return refusedInARow;
    }

    Channel channel() {
        return channel;
    }

    SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** How long the connection has been open, by the session's clock. */
    long ageMillis() {
        return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - openedNanos);
    }

    @Override
    public boolean deliver(Delivery delivery) {
        // A socket can die before its close event has run: do not count it as delivered.
        if (closing.get() || !channel.isActive()) {
            return false;
        }
        if (envelope != null) {
            envelope.deliver(this, delivery);
            return true;
        }
        ByteBuf shared = delivery.frame(encoder);
        batcher.write(this, new TextWebSocketFrame(shared.retainedDuplicate()));
        return true;
    }

    @Override
    public void deliverEvent(SessionEvent event) {
        if (envelope != null && !closing.get()) {
            envelope.deliverEvent(this, event);
        }
    }

    /** switchboard.v1: sends the welcome and what was missed, and goes live. */
    void startEnvelope(Recovery recovery, boolean resumed) {
        envelope.start(this, recovery, resumed);
    }

    /** switchboard.v1: where the receipt for {@code seq} goes, once; {@code null} if none is due. */
    Publication.ReceiptRequest confirmReceipt(long seq) {
        return envelope == null ? null : envelope.confirm(seq);
    }

    /** Queues a frame of the server's own (ack, error) for this connection. */
    void send(Object frame) {
        batcher.write(this, frame);
    }

    /** Whether the session has started closing (its frames are no longer accepted). */
    boolean isClosing() {
        return closing.get();
    }

    @Override
    public boolean isOpen() {
        return !closing.get() && channel.isActive();
    }

    @Override
    public long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** Records that the peer sent something. */
    void touch() {
        lastActivityNanos = clock.nanoTime();
    }

    @Override
    public void ping() {
        if (!closing.get()) {
            batcher.write(this, new PingWebSocketFrame());
        }
    }

    @Override
    public void close(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        node.closed(this);
        metrics.serverClose(code);
        channel.eventLoop().execute(() -> sendCloseFrame(code, reason));
    }

    private void sendCloseFrame(int code, String reason) {
        closeCode = code;
        closeReason = reason;
        if (!channel.isActive()) {
            return;
        }
        closeFrameWritten = true;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        // A peer that does not read never lets the close frame out: do not wait for it forever.
        var deadline = channel.eventLoop().schedule(
                () -> channel.close(), closeTimeoutMillis, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> deadline.cancel(false));
    }

    /** The peer sent a close frame: answer it and close. Runs on the loop. */
    void closedByPeer(int code, String reason) {
        closeCode = code < 0 ? CloseCodes.NORMAL : code;
        closeReason = reason == null ? "" : reason;
        if (closing.compareAndSet(false, true)) {
            node.closed(this);
        }
        CloseWebSocketFrame answer = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, null);
        closeFrameWritten = true;
        channel.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }

    /** The socket is gone. Runs on the loop. */
    void channelClosed() {
        if (closing.compareAndSet(false, true)) {
            node.closed(this);
        }
        metrics.connectionClosed(id, userId(), closeCode);
    }

    int closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }

    /** Called by the batcher on the loop; false if the frame was not written. */
    boolean writeFromLoop(Object frame) {
        if (!channel.isActive() || closeFrameWritten) {
            return false;
        }
        channel.write(frame, channel.voidPromise());
        return true;
    }

    /** Called by the batcher on the loop. */
    void flushFromLoop() {
        channel.flush();
    }

    @Override
    public String toString() {
        return "Session[" + id + ", user=" + identity.userId() + "]";
    }
}
