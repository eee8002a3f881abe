package dev.switchboard.client;

/**
 * Where a {@link SwitchboardClient} is in its life. A client goes {@code NEW → CONNECTING → OPEN},
 * then cycles {@code RECONNECTING → CONNECTING → OPEN} for as long as the connection keeps
 * dropping and coming back, and ends in {@code CLOSED}, from which it never leaves.
 */
public enum ConnectionState {
    /** Built; {@link SwitchboardClient#connect()} not yet called. */
    NEW,
    /** A connection attempt is under way: the handshake, then the wait for the server's welcome. */
    CONNECTING,
    /** The welcome arrived: messages flow and requests are written. */
    OPEN,
    /**
     * The connection dropped, or an attempt failed; the next attempt starts after the backoff
     * delay. Requests made now wait for the next connection (or their timeout).
     */
    RECONNECTING,
    /** Closed for good, by {@link SwitchboardClient#close()} or because retrying cannot succeed. */
    CLOSED
}
