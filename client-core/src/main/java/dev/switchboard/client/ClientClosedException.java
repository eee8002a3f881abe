package dev.switchboard.client;

/**
 * The client is closed: by {@link SwitchboardClient#close()}, or for good because retrying could
 * not succeed (the cause, when there is one, says why — e.g. a {@link HandshakeRejectedException}).
 * Requests that were waiting fail with it, and so does a {@code connect()} that never got a welcome.
 */
public class ClientClosedException extends SwitchboardException {
    public ClientClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
