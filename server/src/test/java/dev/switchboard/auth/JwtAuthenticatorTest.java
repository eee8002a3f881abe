package dev.switchboard.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.switchboard.core.Clock;
import dev.switchboard.core.Identity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JWT corpus: every token the issue says to reject, and valid HS256, RS256 and ES256 tokens. */
class JwtAuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = new Clock() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public long currentTimeMillis() {
            return NOW.toEpochMilli();
        }
    };

    private final JwtAuthenticator hs256 = JwtAuthenticator.hmac(TestTokens.SECRET, null, null, CLOCK);
    private final JwtAuthenticator rs256 =
            JwtAuthenticator.publicKey(TestTokens.pem(TestTokens.RSA.getPublic()), null, null, CLOCK);
    private final JwtAuthenticator es256 =
            JwtAuthenticator.publicKey(TestTokens.pem(TestTokens.EC.getPublic()), null, null, CLOCK);

    private static Credentials bearer(String token) {
        return new Credentials(token, "someone-else");
    }

    private static JWTClaimsSet valid(String sub) {
        return TestTokens.claims(sub, NOW).build();
    }

    @Test
    void validTokensOfEachAlgorithmYieldTheirSubject() throws Exception {
        assertThat(hs256.authenticate(bearer(TestTokens.hs256(valid("bob")))).userId()).isEqualTo("bob");
        assertThat(rs256.authenticate(bearer(TestTokens.rs256(valid("bob")))).userId()).isEqualTo("bob");
        assertThat(es256.authenticate(bearer(TestTokens.es256(valid("bob")))).userId()).isEqualTo("bob");
        assertThat(hs256.algorithm()).isEqualTo("HS256");
        assertThat(rs256.algorithm()).isEqualTo("RS256");
        assertThat(es256.algorithm()).isEqualTo("ES256");
    }

    @Test
    void theIdentityIsVerifiedCarriesTheExpiryAndIgnoresTheRequestedUserId() throws Exception {
        Identity identity = hs256.authenticate(bearer(TestTokens.hs256(valid("bob"))));
        assertThat(identity.verified()).isTrue();
        assertThat(identity.userId()).isEqualTo("bob");
        assertThat(identity.expiresAtMillis()).isEqualTo(NOW.plusSeconds(3600).toEpochMilli());
    }

    @Test
    void theSendToClaimListsAddressableUsers() throws Exception {
        JWTClaimsSet claims = TestTokens.claims("phone", NOW).claim("sendTo", List.of("pc", "tv")).build();
        assertThat(hs256.authenticate(bearer(TestTokens.hs256(claims))).sendTo()).isEqualTo(Set.of("pc", "tv"));

        JWTClaimsSet bad = TestTokens.claims("phone", NOW).claim("sendTo", "pc").build();
        assertRejected(hs256, TestTokens.hs256(bad), "sendTo");
    }

    @Test
    void aMissingTokenIsRejected() {
        assertRejected(hs256, null, "token is required");
        assertRejected(hs256, "  ", "token is required");
    }

    @Test
    void garbageIsRejected() {
        assertRejected(hs256, "not.a.jwt", null);
        assertRejected(hs256, "abc", null);
    }

    @Test
    void algNoneIsRejected() {
        String unsecured = new PlainJWT(valid("bob")).serialize();
        assertRejected(hs256, unsecured, null);
        assertRejected(rs256, unsecured, null);
        assertRejected(es256, unsecured, null);
    }

    @Test
    void anHs256TokenSignedWithTheRsaPublicKeyIsRejected() {
        // The classic algorithm confusion: the public key, public by definition, used as an HMAC secret.
        byte[] publicKeyAsSecret = TestTokens.pem(TestTokens.RSA.getPublic()).getBytes();
        String forged = TestTokens.sign(JWSAlgorithm.HS256, valid("admin"), TestTokens.macSigner(publicKeyAsSecret));
        assertRejected(rs256, forged, null);
    }

    @Test
    void anotherAlgorithmThanTheKeysIsRejected() {
        assertRejected(hs256, TestTokens.rs256(valid("bob")), null);
        assertRejected(rs256, TestTokens.es256(valid("bob")), null);
        assertRejected(es256, TestTokens.rs256(valid("bob")), null);
        assertRejected(es256, TestTokens.hs256(valid("bob")), null);
    }

    @Test
    void aMissingExpIsRejected() {
        JWTClaimsSet noExp = new JWTClaimsSet.Builder().subject("bob").build();
        assertRejected(hs256, TestTokens.hs256(noExp), "exp");
    }

    @Test
    void aPastExpIsRejectedWithoutSkewBecauseTheConnectionWouldCloseAtOnce() throws Exception {
        JWTClaimsSet longExpired = new JWTClaimsSet.Builder().subject("bob")
                .expirationTime(Date.from(NOW.minusSeconds(3600))).build();
        assertRejected(hs256, TestTokens.hs256(longExpired), "expired");

        JWTClaimsSet justExpired = new JWTClaimsSet.Builder().subject("bob")
                .expirationTime(Date.from(NOW.minusSeconds(1))).build();
        assertRejected(hs256, TestTokens.hs256(justExpired), "expired");

        JWTClaimsSet expiringNow = new JWTClaimsSet.Builder().subject("bob").expirationTime(Date.from(NOW)).build();
        assertRejected(hs256, TestTokens.hs256(expiringNow), "expired");

        JWTClaimsSet stillValid = new JWTClaimsSet.Builder().subject("bob")
                .expirationTime(Date.from(NOW.plusSeconds(1))).build();
        assertThat(hs256.authenticate(bearer(TestTokens.hs256(stillValid))).userId()).isEqualTo("bob");
    }

    @Test
    void aFutureNbfIsRejectedBeyondTheClockSkew() throws Exception {
        JWTClaimsSet early = TestTokens.claims("bob", NOW)
                .notBeforeTime(Date.from(NOW.plusSeconds(JwtAuthenticator.CLOCK_SKEW_SECONDS + 5))).build();
        assertRejected(hs256, TestTokens.hs256(early), "before use time");

        JWTClaimsSet slightlyEarly = TestTokens.claims("bob", NOW).notBeforeTime(Date.from(NOW.plusSeconds(10))).build();
        assertThat(hs256.authenticate(bearer(TestTokens.hs256(slightlyEarly))).userId()).isEqualTo("bob");
    }

    @Test
    void aMissingSubIsRejected() {
        JWTClaimsSet noSub = new JWTClaimsSet.Builder().expirationTime(Date.from(NOW.plusSeconds(60))).build();
        assertRejected(hs256, TestTokens.hs256(noSub), "sub");
        JWTClaimsSet emptySub = TestTokens.claims("", NOW).build();
        assertRejected(hs256, TestTokens.hs256(emptySub), "sub");
    }

    @Test
    void aBadSignatureIsRejected() {
        String token = TestTokens.hs256(valid("bob"));
        String[] parts = token.split("\\.");
        String otherPayload = Base64URL.encode("{\"sub\":\"admin\",\"exp\":9999999999}").toString();
        assertRejected(hs256, parts[0] + "." + otherPayload + "." + parts[2], null);
        assertRejected(hs256, parts[0] + "." + parts[1] + "." + Base64URL.encode("nope"), null);

        String rsa = TestTokens.rs256(valid("bob"));
        String[] rsaParts = rsa.split("\\.");
        assertRejected(rs256, rsaParts[0] + "." + otherPayload + "." + rsaParts[2], null);
    }

    @Test
    void theAllZeroEcdsaSignatureOfCve202221449IsRejected() {
        String token = TestTokens.es256(valid("admin"));
        String[] parts = token.split("\\.");
        String zeros = Base64URL.encode(new byte[64]).toString();
        assertRejected(es256, parts[0] + "." + parts[1] + "." + zeros, null);
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
        JwtAuthenticator strict = JwtAuthenticator.hmac(TestTokens.SECRET, "https://auth.example", "switchboard", CLOCK);
        JWTClaimsSet good = TestTokens.claims("bob", NOW).issuer("https://auth.example").audience("switchboard").build();
        assertThat(strict.authenticate(bearer(TestTokens.hs256(good))).userId()).isEqualTo("bob");

        assertRejected(strict, TestTokens.hs256(TestTokens.claims("bob", NOW).issuer("https://evil.example")
                .audience("switchboard").build()), "iss");
        assertRejected(strict, TestTokens.hs256(TestTokens.claims("bob", NOW).issuer("https://auth.example")
                .audience("another-service").build()), "aud");
        assertRejected(strict, TestTokens.hs256(TestTokens.claims("bob", NOW).audience("switchboard").build()), "iss");
    }

    @Test
    void weakKeysAreRefusedAtStartUp() throws Exception {
        assertThatThrownBy(() -> JwtAuthenticator.hmac("short", null, null, CLOCK)).hasMessageContaining("32 bytes");
        java.security.KeyPairGenerator small = java.security.KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        String pem = TestTokens.pem(small.generateKeyPair().getPublic());
        assertThatThrownBy(() -> JwtAuthenticator.publicKey(pem, null, null, CLOCK)).hasMessageContaining("2048");
        assertThatThrownBy(() -> JwtAuthenticator.publicKey("not pem", null, null, CLOCK))
                .hasMessageContaining("PEM");
    }

    @Test
    void rejectionMessagesNeverContainTheToken() {
        String token = TestTokens.rs256(valid("bob"));
        assertThatThrownBy(() -> hs256.authenticate(bearer(token))).message().doesNotContain(token)
                .doesNotContain(token.split("\\.")[1]);
        assertThat(bearer(token).toString()).doesNotContain(token);
    }

    private static void assertRejected(JwtAuthenticator authenticator, String token, String reasonFragment) {
        var assertion = assertThatThrownBy(() -> authenticator.authenticate(bearer(token)))
                .isInstanceOf(AuthenticationException.class);
        if (reasonFragment != null) {
            assertion.hasMessageContaining(reasonFragment);
        }
    }
}
