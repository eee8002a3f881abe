package dev.switchboard.metrics;

import dev.switchboard.core.ErrorCode;

/**
 * What the server counts. Called on hot paths from event loops: implementations must be
 * thread-safe, non-blocking and cheap. {@link #NOOP} is the default when metrics are off.
 */
public interface Metrics {
    Metrics NOOP = new Metrics() {
    };

    /** A data frame (text or binary message) arrived from a client. */
    default void frameReceived() {
    }

    /**
     * A message was routed.
     *
     * @param delivered connections it was queued to; 0 counts as a send to an offline user
     * @param routeNanos time from receiving the frame to queuing its deliveries
     */
    default void messageRouted(int delivered, long routeNanos) {
    }

    /** A bad frame was answered with an error. */
    default void error(ErrorCode code) {
    }

    /** A WebSocket handshake was refused with HTTP {@code status}. */
    default void handshakeRejected(int status) {
    }

    /** A connection was closed by the server with {@code closeCode}. */
    default void serverClose(int closeCode) {
    }

    /**
     * A WebSocket connection was opened (its handshake accepted).
     *
     * @param userId the connection's user, {@code null} for a send-only connection
     */
    default void connectionOpened(String connectionId, String userId) {
    }

    /**
     * A WebSocket connection is gone, once per connection.
     *
     * @param closeCode the close code it ended with (1006 when it ended without a close frame)
     */
    default void connectionClosed(String connectionId, String userId, int closeCode) {
    }

    /**
     * After a broker outage, connections that cannot resume (plain mode) may have missed
     * {@code messages} messages in all (one per connection and message); they were kept open.
     */
    default void missedDuringOutage(long messages) {
    }

    /** Every call goes to {@code first}, then to {@code second}. */
    static Metrics both(Metrics first, Metrics second) {
        return new CompositeMetrics(first, second);
    }
}
