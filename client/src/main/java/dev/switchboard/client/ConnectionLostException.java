package dev.switchboard.client;

/**
 * The request had been written to a connection that dropped before its answer arrived. Whether the
 * server received it is unknown: a send may or may not have been delivered. The client does not
 * resend it (the server has no idempotency keys, so a resend could deliver twice); an application
 * that needs the message delivered and can tolerate a duplicate may send it again.
 */
public class ConnectionLostException extends SwitchboardException {
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
