package dev.switchboard.auth;

/**
 * A handshake whose credentials were refused; answered with HTTP 401. The message is safe to show
 * the client and to log: it never contains the token.
 */
public final class AuthenticationException extends Exception {
    public AuthenticationException(String message) {
        super(message, null, false, false);
    }
}
