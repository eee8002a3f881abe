package dev.switchboard.transport;

import dev.switchboard.auth.Authenticator;
import dev.switchboard.auth.OriginPolicy;
import dev.switchboard.auth.SendPolicy;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.nio.file.Path;

/**
 * Who may connect and what they may do.
 *
 * @param authenticator establishes identities at the handshake
 * @param origins the browser origins allowed to connect
 * @param sendPolicy who may send to whom
 * @param ssl the TLS context ({@link #tls}), or {@code null} for plain {@code ws://}
 */
public record TransportSecurity(Authenticator authenticator, OriginPolicy origins, SendPolicy sendPolicy,
                                SslContext ssl) {
    /** The same security with another authenticator (one that also accepts paired devices, say). */
    public TransportSecurity withAuthenticator(Authenticator replacement) {
        return new TransportSecurity(replacement, origins, sendPolicy, ssl);
    }

    /**
     * The server's TLS context: OpenSSL (netty-tcnative) when it loads, the JDK's TLS otherwise.
     *
     * @param certChain a PEM certificate chain
     * @param privateKey its PEM private key (PKCS#8)
     */
    public static SslContext tls(Path certChain, Path privateKey) {
        try {
            return SslContextBuilder.forServer(certChain.toFile(), privateKey.toFile())
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate and key: " + e.getMessage(), e);
        }
    }

    /** The TLS implementation in use. */
    public static String tlsProvider() {
        return OpenSsl.isAvailable() ? "OpenSSL " + OpenSsl.versionString() : "JDK";
    }
}
