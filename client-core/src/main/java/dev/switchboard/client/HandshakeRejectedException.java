package dev.switchboard.client;

/**
 * The server answered the WebSocket handshake with an HTTP error instead of upgrading: {@code 401}
 * (no or a bad token), {@code 403} (origin), {@code 429} (too many connections for the user),
 * {@code 503} (server full), …
 */
public class HandshakeRejectedException extends SwitchboardException {
    private final int status;

    public HandshakeRejectedException(int status, String message, Throwable cause) {
        super("handshake refused with HTTP " + status + (message == null || message.isEmpty() ? "" : ": " + message),
                cause);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
