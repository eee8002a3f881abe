package dev.switchboard.app;

import dev.switchboard.auth.AuthenticationException;
import dev.switchboard.auth.Authenticator;
import dev.switchboard.auth.Credentials;
import dev.switchboard.core.Identity;

/**
 * Token mode with pairing: a device token ({@code sbd_…}, from {@link Pairings#redeem}) is accepted
 * for its user; anything else goes to the JWT authenticator. Thread-safe, non-blocking.
 */
public final class PairingAuthenticator implements Authenticator {
    private final Authenticator tokens;
    private final Pairings pairings;

    public PairingAuthenticator(Authenticator tokens, Pairings pairings) {
        this.tokens = tokens;
        this.pairings = pairings;
    }

    @Override
    public Identity authenticate(Credentials credentials) throws AuthenticationException {
        String token = credentials.bearerToken();
        if (token != null && token.startsWith(Pairings.DEVICE_TOKEN_PREFIX)) {
            return pairings.device(token).orElseThrow(() ->
                    new AuthenticationException("the device token is unknown or expired: pair the phone again"));
        }
        return tokens.authenticate(credentials);
    }

    @Override
    public boolean verifies() {
        return tokens.verifies();
    }
}
