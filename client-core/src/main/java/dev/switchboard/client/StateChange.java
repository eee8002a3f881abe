package dev.switchboard.client;

import java.util.Objects;

/**
 * A change of {@link ConnectionState}, with what caused it when it is a disconnection. An immutable
 * value.
 */
public final class StateChange {
    private final ConnectionState previous;
    private final ConnectionState state;
    private final int closeCode;
    private final String reason;
    private final Throwable error;

    /**
     * @param previous the state before
     * @param state the state now
     * @param closeCode the close code the connection ended with, or {@code 0}
     * @param reason the close reason or a short description of the failure; {@code null} reads as empty
     * @param error the exception behind the change, or {@code null}
     */
    public StateChange(ConnectionState previous, ConnectionState state, int closeCode, String reason,
                       Throwable error) {
        this.previous = previous;
        this.state = state;
        this.closeCode = closeCode;
        this.reason = reason == null ? "" : reason;
        this.error = error;
    }

    /** The state before. */
    public ConnectionState previous() {
        return previous;
    }

    /** The state now. */
    public ConnectionState state() {
        return state;
    }

    /**
     * For {@code RECONNECTING} and {@code CLOSED}: the WebSocket close code the connection ended with
     * ({@code 1006} when it ended without a close frame; see the README's close codes, e.g.
     * {@code 4001} token expired); {@code 0} when there was no connection to close (an attempt that
     * failed before its handshake completed) or for any other state.
     */
    public int closeCode() {
        return closeCode;
    }

    /** The close reason, or a short description of the failure; empty when none. */
    public String reason() {
        return reason;
    }

    /**
     * The exception behind the change (an I/O error, a refused handshake, a timeout), or {@code null}.
     */
    public Throwable error() {
        return error;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof StateChange)) {
            return false;
        }
        StateChange that = (StateChange) other;
        return previous == that.previous && state == that.state && closeCode == that.closeCode
                && reason.equals(that.reason) && Objects.equals(error, that.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(previous, state, closeCode, reason, error);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(previous).append(" -> ").append(state);
        if (closeCode != 0) {
            text.append(" (").append(closeCode).append(reason.isEmpty() ? "" : " " + reason).append(')');
        } else if (!reason.isEmpty()) {
            text.append(" (").append(reason).append(')');
        }
        return error == null ? text.toString() : text.append(": ").append(error).toString();
    }
}
