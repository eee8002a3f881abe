package dev.switchboard.server;

import dev.switchboard.auth.Authenticator;
import dev.switchboard.auth.DevAuthenticator;
import dev.switchboard.auth.JwtAuthenticator;
import dev.switchboard.auth.OriginPolicy;
import dev.switchboard.auth.SecurityOptions;
import dev.switchboard.core.Clock;
import dev.switchboard.transport.TransportSecurity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** Builds the security side of the server from its configuration: who may connect, and TLS. */
final class SecurityFactory {
    private SecurityFactory() {
    }

    static TransportSecurity build(SecurityOptions config, Clock clock) {
        return new TransportSecurity(authenticator(config, clock), new OriginPolicy(config.allowedOrigins()),
                config.effectiveSendPolicy(),
                config.tls() ? TransportSecurity.tls(config.tlsCert(), config.tlsKey()) : null);
    }

    private static Authenticator authenticator(SecurityOptions config, Clock clock) {
        if (config.jwtSecret() != null) {
            return JwtAuthenticator.hmac(config.jwtSecret(), config.jwtIssuer(), config.jwtAudience(), clock);
        }
        if (config.jwtPublicKey() != null) {
            String pem;
            try {
                pem = Files.readString(config.jwtPublicKey(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --jwt-public-key " + config.jwtPublicKey(), e);
            }
            return JwtAuthenticator.publicKey(pem, config.jwtIssuer(), config.jwtAudience(), clock);
        }
        return new DevAuthenticator();
    }
}
