package dev.switchboard.client;

/**
 * A change of {@link ConnectionState}, with what caused it when it is a disconnection.
 *
 * @param previous the state before
 * @param state the state now
 * @param closeCode for {@code RECONNECTING} and {@code CLOSED}: the WebSocket close code the
 *     connection ended with ({@code 1006} when it ended without a close frame; see the README's
 *     close codes, e.g. {@code 4001} token expired); {@code 0} when there was no connection to close
 *     (an attempt that failed before its handshake completed) or for any other state
 * @param reason the close reason, or a short description of the failure; empty when none
 * @param error the exception behind the change (an I/O error, a refused handshake, a timeout), or
 *     {@code null}
 */
public record StateChange(ConnectionState previous, ConnectionState state, int closeCode, String reason,
                          Throwable error) {
    public StateChange {
        reason = reason == null ? "" : reason;
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
