package dev.switchboard.auth;

import java.nio.file.Path;
import java.util.Set;

/**
 * Who may connect and what they may do, as configured. {@link #toString()} never shows a secret.
 *
 * @param jwtSecret token mode with HS256 and this secret, or {@code null}
 * @param jwtPublicKey token mode with RS256/ES256 and this PEM key or certificate, or {@code null}
 * @param jwtIssuer the required {@code iss}, or {@code null}
 * @param jwtAudience a required {@code aud} value, or {@code null}
 * @param sendPolicy {@code null} for the mode's default ({@link #effectiveSendPolicy()})
 * @param allowedOrigins the browser origins allowed to connect; empty allows every origin
 * @param apiKey the server API's key, or {@code null} for the API off
 * @param tlsCert the PEM certificate chain for TLS, or {@code null} for none
 * @param tlsKey its PKCS#8 key
 */
public record SecurityOptions(String jwtSecret, Path jwtPublicKey, String jwtIssuer, String jwtAudience,
                              SendPolicy sendPolicy, Set<String> allowedOrigins, String apiKey, Path tlsCert,
                              Path tlsKey) {
    public SecurityOptions {
        if (jwtSecret != null && jwtPublicKey != null) {
            throw new IllegalArgumentException("give either --jwt-secret or --jwt-public-key, not both");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (sendPolicy == SendPolicy.CLAIM && jwtSecret == null && jwtPublicKey == null) {
            throw new IllegalArgumentException("--send-policy claim needs token mode (--jwt-secret or --jwt-public-key)");
        }
        allowedOrigins = allowedOrigins == null ? Set.of() : Set.copyOf(allowedOrigins);
    }

    /** Dev mode: no tokens, no API, no TLS, every origin. */
    public static SecurityOptions defaults() {
        return new SecurityOptions(null, null, null, null, null, Set.of(), null, null, null);
    }

    /** Whether identities come from signed tokens. */
    public boolean tokenMode() {
        return jwtSecret != null || jwtPublicKey != null;
    }

    /** The send policy in force: the configured one, or the mode's default. */
    public SendPolicy effectiveSendPolicy() {
        if (sendPolicy != null) {
            return sendPolicy;
        }
        return tokenMode() ? SendPolicy.SELF : SendPolicy.ANY;
    }

    public boolean tls() {
        return tlsCert != null;
    }

    @Override
    public String toString() {
        return "SecurityOptions[" + (tokenMode() ? "token" : "dev") + " mode"
                + ", jwtSecret=" + (jwtSecret == null ? "none" : "***")
                + ", apiKey=" + (apiKey == null ? "none" : "***") + ", tls=" + tls() + "]";
    }
}
