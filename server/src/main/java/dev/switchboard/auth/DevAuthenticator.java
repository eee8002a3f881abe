package dev.switchboard.auth;

import dev.switchboard.core.Identity;

/**
 * The seed's dev mode: the client says who it is with {@code ?userId=}, and is believed. Without a
 * userId the connection is send-only.
 */
public final class DevAuthenticator implements Authenticator {
    @Override
    public Identity authenticate(Credentials credentials) {
        return Identity.unverified(credentials.requestedUserId());
    }

    @Override
    public boolean verifies() {
        return false;
    }
}
