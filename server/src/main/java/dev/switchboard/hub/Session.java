package dev.switchboard.hub;

/**
 * One live client connection, as the hub sees it. Implemented by the transport.
 *
 * <p>Threading: every method may be called from any thread. {@link #deliver} never blocks and
 * never writes synchronously; it queues the frame on the connection's own event loop, in call
 * order, so two deliveries made by one thread reach the peer in the order they were made.
 */
public interface Session {
    /** A server-unique connection id. */
    String id();

    /** The user this connection is registered under, or {@code null} for a send-only connection. */
    String userId();

    /**
     * Queues one publication for this connection.
     *
     * @return {@code true} if the frame was queued; {@code false} if the connection is closing or
     *     closed (the frame is dropped and must not be counted as delivered)
     */
    boolean deliver(Delivery delivery);

    /**
     * When the connection's credential expires, in epoch milliseconds by
     * {@link dev.switchboard.core.Clock#currentTimeMillis()}; {@code 0} for never.
     */
    long expiresAtMillis();

    /** Tells the connection about an event (presence, receipt); never blocks, may be dropped by protocols without events. */
    void deliverEvent(SessionEvent event);

    /**
     * Whether the client recovers what it missed by reconnecting: a {@code switchboard.v1} client
     * resumes from its last seq, so after an outage it is closed (1012) to make it do so. A session
     * that cannot (the tutorial's plain protocol, whose clients do not reconnect) is never closed
     * for having missed messages: it keeps receiving, and what it missed is counted.
     */
    default boolean resumable() {
        return false;
    }

    /** Whether the connection is open and accepting deliveries. */
    boolean isOpen();

    /** {@link dev.switchboard.core.Clock#nanoTime()} of the last frame received from the peer. */
    long lastActivityNanos();

    /** {@link dev.switchboard.core.Clock#nanoTime()} when the connection opened (for its age limit). */
    default long openedNanos() {
        return lastActivityNanos();
    }

    /** Sends a WebSocket ping. */
    void ping();

    /**
     * Starts closing with a WebSocket close code and reason. Idempotent: only the first call has
     * an effect. The connection stops accepting deliveries at once.
     */
    void close(int code, String reason);
}
