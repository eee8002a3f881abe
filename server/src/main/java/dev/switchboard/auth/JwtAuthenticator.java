package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.switchboard.core.Clock;
import dev.switchboard.core.Identity;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Token mode: the identity is the {@code sub} of a signed JWT (nimbus-jose-jwt).
 *
 * <p>Exactly one algorithm is accepted, the configured key's: HS256 for a shared secret, RS256 for
 * an RSA public key, ES256 for a P-256 EC public key. So {@code alg: none}, an HS256 token forged
 * with an RSA public key as its secret, and every other algorithm are refused. {@code exp} and
 * {@code sub} are required; {@code nbf} is checked with a clock skew of {@link #CLOCK_SKEW_SECONDS};
 * {@code exp} strictly, because the connection is closed the moment {@code exp} passes — a token the
 * handshake accepted within a skew would be accepted and closed again and again. {@code iss} and
 * {@code aud} are checked when configured. A {@code sendTo} claim (an array of user ids) feeds the
 * {@code claim} send policy.
 *
 * <p>Thread-safe: the processor is immutable once built.
 */
public final class JwtAuthenticator implements Authenticator {
    /** Tolerated difference between our clock and the token issuer's. */
    public static final int CLOCK_SKEW_SECONDS = 30;
    /** The claim listing the users a token may send to. */
    public static final String SEND_TO_CLAIM = "sendTo";

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final JWSAlgorithm algorithm;
    private final Clock clock;

    private JwtAuthenticator(JWSAlgorithm algorithm, Key key, String issuer, String audience, Clock clock) {
        this.algorithm = algorithm;
        this.clock = clock;
        processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(algorithm, key));
        JWTClaimsSet exact = issuer == null ? null : new JWTClaimsSet.Builder().issuer(issuer).build();
        Set<String> required = Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME);
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audience == null ? null : Set.of(audience), exact, required, null) {
            @Override
            protected Date currentTime() {
                return new Date(clock.currentTimeMillis());
            }
        };
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** HS256 with a shared secret of at least 32 bytes. */
    public static JwtAuthenticator hmac(String secret, String issuer, String audience, Clock clock) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("--jwt-secret must be at least 32 bytes (256 bits) for HS256");
        }
        return new JwtAuthenticator(JWSAlgorithm.HS256, new SecretKeySpec(bytes, "HmacSHA256"), issuer,
                audience, clock);
    }

    /** RS256 or ES256, chosen by the type of the PEM public key (or certificate). */
    public static JwtAuthenticator publicKey(String pem, String issuer, String audience, Clock clock) {
        PublicKey key = PemKeys.parsePublicKey(pem);
        JWSAlgorithm algorithm;
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("the RSA key must have at least 2048 bits");
            }
            algorithm = JWSAlgorithm.RS256;
        } else if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
            algorithm = JWSAlgorithm.ES256;
        } else {
            throw new IllegalArgumentException("the public key must be RSA (RS256) or EC P-256 (ES256)");
        }
        return new JwtAuthenticator(algorithm, key, issuer, audience, clock);
    }

    /** The one algorithm this authenticator accepts. */
    public String algorithm() {
        return algorithm.getName();
    }

    @Override
    public Identity authenticate(Credentials credentials) throws AuthenticationException {
        String token = credentials.bearerToken();
        if (token == null || token.isBlank()) {
            throw new AuthenticationException("a token is required: send Authorization: Bearer <jwt> or ?token=<jwt>");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ExpiredJWTException e) {
            throw new AuthenticationException("the token has expired");
        } catch (BadJWTException e) {
            throw new AuthenticationException("the token was rejected: " + e.getMessage());
        } catch (ParseException e) {
            throw new AuthenticationException("the token is not a JWT");
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            throw new AuthenticationException("the token's signature or algorithm was rejected");
        }
        if (!claims.getExpirationTime().after(new java.util.Date(clock.currentTimeMillis()))) {
            throw new AuthenticationException("the token has expired");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isEmpty()) {
            throw new AuthenticationException("the token has no sub claim");
        }
        return new Identity(subject, true, claims.getExpirationTime().getTime(), sendTo(claims));
    }

    @Override
    public boolean verifies() {
        return true;
    }

    private static Set<String> sendTo(JWTClaimsSet claims) throws AuthenticationException {
        Object value = claims.getClaim(SEND_TO_CLAIM);
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new AuthenticationException("the sendTo claim must be an array of user ids");
        }
        Set<String> users = new HashSet<>();
        for (Object user : list) {
            if (!(user instanceof String id)) {
                throw new AuthenticationException("the sendTo claim must be an array of user ids");
            }
            users.add(id);
        }
        return users;
    }
}
