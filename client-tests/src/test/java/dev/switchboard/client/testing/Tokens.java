package dev.switchboard.client.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** HS256 tokens signed with the tests' shared secret. */
public final class Tokens {
    public static final String SECRET = "a-client-test-secret-of-at-least-32-bytes";

    private Tokens() {
    }

    /** A token for {@code sub} that expires {@code lifetime} from now. */
    public static String hs256(String sub, Duration lifetime) {
        return hs256(sub, lifetime, SECRET);
    }

    public static String hs256(String sub, Duration lifetime, String secret) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(sub)
                .expirationTime(Date.from(Instant.now().plus(lifetime))).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
