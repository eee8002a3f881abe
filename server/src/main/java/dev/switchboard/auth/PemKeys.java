package dev.switchboard.auth;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a public key from PEM: a {@code PUBLIC KEY} (SubjectPublicKeyInfo, RSA or EC) or a
 * {@code CERTIFICATE}. Written with the JDK alone because the usual helper (nimbus's PEM reader)
 * needs BouncyCastle at run time for what is a base64 decode and one JDK call.
 */
final class PemKeys {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemKeys() {
    }

    static PublicKey parsePublicKey(String pem) {
        Matcher block = BLOCK.matcher(pem);
        if (!block.find()) {
            throw new IllegalArgumentException("no PEM block found (expected -----BEGIN PUBLIC KEY-----)");
        }
        String type = block.group(1);
        byte[] der = Base64.getMimeDecoder().decode(block.group(2));
        try {
            if ("CERTIFICATE".equals(type)) {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
            }
            if (!"PUBLIC KEY".equals(type)) {
                throw new IllegalArgumentException("unsupported PEM block '" + type
                        + "': give a PUBLIC KEY or a CERTIFICATE");
            }
            for (String algorithm : new String[] {"RSA", "EC"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                } catch (GeneralSecurityException notThisAlgorithm) {
                    // try the next one
                }
            }
            throw new IllegalArgumentException("the PUBLIC KEY is neither RSA nor EC");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unreadable certificate: " + e.getMessage(), e);
        }
    }
}
