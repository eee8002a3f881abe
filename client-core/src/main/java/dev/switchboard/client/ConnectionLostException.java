package dev.switchboard.client;

/**
 * A query (presence) had been written to a connection that dropped before its answer arrived; ask
 * again. Sends never fail so: they are written again on the next connection, with their
 * idempotency key.
 */
public class ConnectionLostException extends SwitchboardException {
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
