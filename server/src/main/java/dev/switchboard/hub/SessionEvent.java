package dev.switchboard.hub;

/**
 * Something a connection is told that is not a message of its user's stream. Sessions that speak a
 * protocol without events (plain mode) ignore them.
 */
public sealed interface SessionEvent permits SessionEvent.Presence, SessionEvent.Receipt {
    /** The number of connections of {@code userId} changed. */
    record Presence(String userId, boolean online, int connections) implements SessionEvent {
    }

    /**
     * Connection {@code connectionId} of user {@code to} confirmed message {@code seq}, which this
     * connection sent with request id {@code requestId}.
     */
    record Receipt(String requestId, String to, long seq, String connectionId) implements SessionEvent {
    }
}
