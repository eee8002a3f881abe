package dev.switchboard.auth;

import dev.switchboard.core.Identity;

/**
 * Establishes the identity of a connecting client.
 *
 * <p>Threading: thread-safe; called on an event loop during the handshake, so it must not block
 * (verifying a signature is CPU work only: tens to a few hundred microseconds).
 */
public interface Authenticator {
    /**
     * @return the identity of the client
     * @throws AuthenticationException if the credentials are missing or invalid
     */
    Identity authenticate(Credentials credentials) throws AuthenticationException;

    /** Whether identities are verified (token mode) rather than taken on the client's word. */
    boolean verifies();
}
