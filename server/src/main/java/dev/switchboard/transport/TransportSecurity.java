package dev.switchboard.transport;

import dev.switchboard.auth.Authenticator;
import dev.switchboard.auth.OriginPolicy;
import dev.switchboard.auth.SendPolicy;
import io.netty.handler.ssl.SslContext;

/**
 * Who may connect and what they may do.
 *
 * @param authenticator establishes identities at the handshake
 * @param origins the browser origins allowed to connect
 * @param sendPolicy who may send to whom
 * @param ssl the TLS context, or {@code null} for plain {@code ws://}
 */
public record TransportSecurity(Authenticator authenticator, OriginPolicy origins, SendPolicy sendPolicy,
                                SslContext ssl) {
    /** The same security with another authenticator (one that also accepts paired devices, say). */
    public TransportSecurity withAuthenticator(Authenticator replacement) {
        return new TransportSecurity(replacement, origins, sendPolicy, ssl);
    }
}
