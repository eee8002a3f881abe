package dev.switchboard.app;

import dev.switchboard.core.Identity;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Self-contained device tokens: {@code sbd_<grant>.<mac>}, both base64url, where the grant is a
 * {@link PairingGrant}'s bytes and the MAC is HMAC-SHA256 with a key every node shares, over the
 * text before the dot. Any node holding the key verifies any node's token locally, with no lookup
 * — so the handshake stays synchronous. The MAC is compared in its encoded form, in constant
 * time: comparing decoded bytes would let a changed final character (whose low bits base64
 * ignores) pass. Immutable and thread-safe.
 */
final class DeviceTokens {
    static final String PREFIX = "sbd_";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    DeviceTokens(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** A token for {@code grant}, which must carry its (non-zero) expiry. */
    String mint(PairingGrant grant) {
        String signed = PREFIX + ENCODER.encodeToString(grant.toBytes());
        return signed + "." + mac(signed);
    }

    /** The identity of a token signed with this key, or empty when it is forged, garbled or expired at {@code nowMillis}. */
    Optional<Identity> verify(String token, long nowMillis) {
        int dot = token == null ? -1 : token.lastIndexOf('.');
        if (dot < 0 || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String signed = token.substring(0, dot);
        byte[] expected = mac(signed).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            return Optional.empty();
        }
        PairingGrant grant;
        try {
            grant = PairingGrant.fromBytes(Base64.getUrlDecoder().decode(signed.substring(PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // signed by us but not a grant we understand: an older layout
        }
        if (grant.expiresAtMillis() == 0 || nowMillis >= grant.expiresAtMillis()) {
            return Optional.empty();
        }
        return Optional.of(grant.identity());
    }

    /** Whether this is the key {@code other} would build. */
    boolean usesKey(byte[] other) {
        return MessageDigest.isEqual(key.getEncoded(), other);
    }

    private String mac(String signed) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return ENCODER.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
