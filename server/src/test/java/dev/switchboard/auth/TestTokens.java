package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Keys generated for the test run, and tokens signed with them. */
public final class TestTokens {
    public static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";
    public static final KeyPair RSA = generate("RSA", 2048);
    public static final KeyPair EC = generateEc();

    private TestTokens() {
    }

    /** Claims for {@code sub} valid for an hour from {@code now}. */
    public static JWTClaimsSet.Builder claims(String sub, Instant now) {
        return new JWTClaimsSet.Builder().subject(sub).expirationTime(Date.from(now.plusSeconds(3600)));
    }

    public static String hs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.HS256, claims, macSigner(SECRET.getBytes()));
    }

    public static String rs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, claims, new RSASSASigner(RSA.getPrivate()));
    }

    public static String es256(JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.ES256, claims, new ECDSASigner((ECPrivateKey) EC.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(JWSAlgorithm algorithm, JWTClaimsSet claims, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MACSigner macSigner(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    public static List<String> audience(String... values) {
        return List.of(values);
    }

    private static KeyPair generate(String algorithm, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generateEc() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
