package dev.switchboard.transport;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.nio.file.Path;

/** Builds the server's TLS context: OpenSSL (netty-tcnative) when it loads, the JDK's TLS otherwise. */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * @param certChain a PEM certificate chain
     * @param privateKey its PEM private key (PKCS#8)
     */
    public static SslContext server(Path certChain, Path privateKey) {
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
    public static String provider() {
        return OpenSsl.isAvailable() ? "OpenSSL " + OpenSsl.versionString() : "JDK";
    }
}
