package dev.switchboard.transport;

import dev.switchboard.core.Clock;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.Identity;
import dev.switchboard.hub.Delivery;
import dev.switchboard.hub.Session;
import dev.switchboard.hub.SessionEvent;
import dev.switchboard.limits.TokenBucket;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.node.Node;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Supplier;

/**
 * A WebSocket connection as a {@link Session}. Every frame the server writes to it — deliveries,
 * acks, errors, pings — goes through its loop's {@link OutboundBatcher}, so they keep one order
 * and share flushes.
 *
 * <p>Closing: {@link #close} stops the session from accepting frames and unregisters it at once (so
 * no count includes it), then queues the close frame behind every frame already accepted, and closes
 * the socket when the close frame is flushed, or after the close timeout if the peer does not read.
 * A close frame from the peer is answered the same way. So a delivery this session reported as made
 * is written before the close frame: {@code delivered} counts exactly the connections that get it.
 *
 * <p>Lock: this object's monitor guards {@link #closing} and the protocol's per-connection state
 * (its {@link WireProtocol.Outbound}). It is held only to check the flag and let the protocol append
 * frames to the loop's batcher, a lock-free queue that calls nothing back; it is never held while
 * calling the node or closing.
 */
public final class NettySession implements Session {
    private final String id;
    /** Replaced only by {@link #refresh}, with the same user. */
    private volatile Identity identity;
    private final Channel channel;
    private final OutboundBatcher batcher;
    /** The protocol's writing side for this connection; guarded by this object's lock. */
    private final WireProtocol.Outbound outbound;
    private final Node node;
    private final Metrics metrics;
    private final Clock clock;
    private final long closeTimeoutMillis;
    /** The most bytes of frames waiting in the batcher for this connection (its part of --max-outbound-bytes). */
    private final long maxQueuedBytes;
    /** Bytes of frames waiting in the batcher; a field with an updater, not an AtomicLong: 24 bytes less per connection. */
    private volatile long queuedBytes;
    private static final AtomicLongFieldUpdater<NettySession> QUEUED =
            AtomicLongFieldUpdater.newUpdater(NettySession.class, "queuedBytes");
    /** Set once a frame did not fit: the session is closing as a slow consumer. */
    private volatile boolean overflowed;
    private final long openedNanos;
    /** Written under this object's lock: once set, the session accepts no more frames. */
    private volatile boolean closing;
    private volatile long lastActivityNanos;

    // Confined to the channel's event loop.
    boolean flushPending;
    /** Set by whoever starts the close: the server ({@link #close}) or the peer ({@link #closedByPeer}). */
    private volatile int closeCode = CloseCodes.ABNORMAL;
    private volatile String closeReason = "";
    /** Set once a close frame is written: no frame may follow it, while frames queued before it still go out. */
    private boolean closeFrameWritten;

    // Confined to the channel's event loop: the inbound rate limit.
    private final TokenBucket rateLimit;
    private int refusedInARow;

    /**
     * @param rateLimit the inbound rate limit, or {@code null} for none
     */
    NettySession(String id, Identity identity, Channel channel, OutboundBatcher batcher,
                 WireProtocol.Outbound outbound, Node node, Metrics metrics, Clock clock, long closeTimeoutMillis,
                 long maxQueuedBytes, TokenBucket rateLimit) {
        this.maxQueuedBytes = maxQueuedBytes;
        this.outbound = outbound;
        this.id = id;
        this.identity = identity;
        this.rateLimit = rateLimit;
        this.channel = channel;
        this.batcher = batcher;
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

    /** Who the connection is: its user (or none), whether verified, its token's claims. */
    public Identity identity() {
        return identity;
    }

    @Override
    public long openedNanos() {
        return openedNanos;
    }

    @Override
    public long expiresAtMillis() {
        return identity.expiresAtMillis();
    }

    /**
     * A fresh token for the same user (v1 {@code refresh}): the connection takes its expiry and
     * claims. Any thread.
     *
     * @throws IllegalArgumentException if {@code next} is another user
     */
    public void refresh(Identity next) {
        if (!java.util.Objects.equals(next.userId(), identity.userId())) {
            throw new IllegalArgumentException("a refresh keeps the connection's user");
        }
        identity = next;
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

    /** The connection's channel: for its allocator, and its loop. */
    public Channel channel() {
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
        WireProtocol.Outbound.Result result;
        synchronized (this) {
            // A socket can die before its close event has run: do not count it as delivered.
            if (closing || !channel.isActive()) {
                return false;
            }
            result = outbound.deliver(this, delivery);
        }
        if (result == WireProtocol.Outbound.Result.RESET) {
            close(CloseCodes.SERVICE_RESTART, CloseCodes.STREAM_RESET_REASON);
            return false;
        }
        if (result == WireProtocol.Outbound.Result.OVERFLOW) {
            overflow();
        }
        // A frame that did not fit was dropped, and the connection is closing: not delivered.
        return !overflowed;
    }

    @Override
    public boolean resumable() {
        return outbound.resumable();
    }

    @Override
    public void deliverEvent(SessionEvent event) {
        synchronized (this) {
            if (!closing) {
                outbound.deliverEvent(this, event);
            }
        }
    }

    /**
     * Runs {@code action} on the protocol's state of this connection under the session's lock — the
     * lock every {@link WireProtocol.Outbound} call runs under — unless the session is closing.
     *
     * @return the action's result, or {@code null} if the session is closing
     */
    public <T> T locked(Supplier<T> action) {
        synchronized (this) {
            return closing ? null : action.get();
        }
    }

    /** The protocol's writing side of this connection. */
    public WireProtocol.Outbound outbound() {
        return outbound;
    }

    /**
     * Queues a frame (ownership passes here) for this connection: in order with every other frame
     * the server writes to it, through its loop's batcher. A frame queued after the close frame is
     * dropped; so is one that would take what waits for this connection past
     * {@link #maxQueuedBytes()}, and every frame after it, while the connection closes with 4008.
     */
    public void send(Object frame) {
        int size = sizeOf(frame);
        if (overflowed) {
            // A frame was dropped: nothing after it may go out, or the peer would see a gap.
            ReferenceCountUtil.release(frame);
            return;
        }
        if (size > 0 && QUEUED.addAndGet(this, size) > maxQueuedBytes) {
            QUEUED.addAndGet(this, -size);
            ReferenceCountUtil.release(frame);
            overflow();
            return;
        }
        batcher.write(this, frame);
    }

    /** The most bytes this connection may have waiting (the protocol bounds what it holds back by it too). */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /**
     * Too much is waiting for this connection — it does not read, or its loop is far behind: close it
     * as a slow consumer (4008), from its loop, outside any lock.
     */
    private void overflow() {
        if (!overflowed) {
            overflowed = true;
            channel.eventLoop().execute(() -> close(CloseCodes.SLOW_CONSUMER, "slow consumer"));
        }
    }

    private static int sizeOf(Object frame) {
        return frame instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
    }

    /** Whether the session has started closing (its frames are no longer accepted). */
    boolean isClosing() {
        return closing;
    }

    @Override
    public boolean isOpen() {
        return !closing && channel.isActive();
    }

    @Override
    public long lastActivityNanos() {
        return lastActivityNanos;
    }

    /**
     * Records that the peer sent something — or, over SSE, where the peer never sends on the stream,
     * that a keepalive went out to it (a dead peer then shows as a failed write or a full buffer).
     */
    public void touch() {
        lastActivityNanos = clock.nanoTime();
    }

    @Override
    public void ping() {
        if (!closing) {
            batcher.write(this, new PingWebSocketFrame());
        }
    }

    /**
     * Takes the session out of service: from now on it accepts no frame. Returns false if it
     * already was.
     */
    private boolean stopAccepting() {
        synchronized (this) {
            if (closing) {
                return false;
            }
            closing = true;
            return true;
        }
    }

    @Override
    public void close(int code, String reason) {
        if (!stopAccepting()) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        node.closed(this);
        metrics.serverClose(code);
        // Behind every frame accepted before the flag was set.
        batcher.write(this, new Closing(code, reason, false));
    }

    /** The peer sent a close frame: answer it, after what was accepted before, and close. Runs on the loop. */
    void closedByPeer(int code, String reason) {
        if (stopAccepting()) {
            closeCode = code < 0 ? CloseCodes.NORMAL : code;
            closeReason = reason == null ? "" : reason;
            node.closed(this);
        }
        batcher.write(this, new Closing(code, null, true));
    }

    /** The socket is gone. Runs on the loop. */
    void channelClosed() {
        if (stopAccepting()) {
            node.closed(this);
        }
        metrics.connectionClosed(id, userId(), closeCode);
    }

    /** Writes the close frame, the last frame of the connection, then closes it. Runs on the loop. */
    private void writeCloseFrame(Closing closing) {
        if (!channel.isActive() || closeFrameWritten) {
            return;
        }
        closeFrameWritten = true;
        CloseWebSocketFrame frame = closing.answer && closing.code < 0 ? new CloseWebSocketFrame()
                : new CloseWebSocketFrame(closing.code, closing.reason);
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        if (!closing.answer) {
            // A peer that does not read never lets the close frame out: do not wait for it forever.
            var deadline = channel.eventLoop().schedule(
                    () -> channel.close(), closeTimeoutMillis, TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(closed -> deadline.cancel(false));
        }
    }

    /** A close frame queued behind the frames accepted before it: ours, or the answer to the peer's. */
    private record Closing(int code, String reason, boolean answer) {
    }

    int closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }

    /** Called by the batcher on the loop; false if the frame was not written. */
    boolean writeFromLoop(Object frame) {
        int size = sizeOf(frame);
        if (size > 0) {
            QUEUED.addAndGet(this, -size);
        }
        if (frame instanceof Closing closing) {
            writeCloseFrame(closing);
            return false;
        }
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
