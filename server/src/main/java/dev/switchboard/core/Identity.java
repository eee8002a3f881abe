package dev.switchboard.core;

import java.util.Set;

/**
 * Who a connection is, as established at its handshake. Immutable.
 *
 * @param userId the user the connection is registered under; {@code null} for a send-only
 *     connection
 * @param verified whether the identity comes from a verified token (token mode) rather than from
 *     the client's word ({@code ?userId=} in dev mode)
 * @param expiresAtMillis when the credential expires (epoch ms), or {@code 0} for never; the
 *     connection is closed with {@link CloseCodes#TOKEN_EXPIRED} then
 * @param sendTo the users this identity may address under the {@code claim} send policy (the
 *     token's {@code sendTo} claim), or an empty set
 */
public record Identity(String userId, boolean verified, long expiresAtMillis, Set<String> sendTo) {
    /** The longest user id anywhere: a connection's, an addressee's, an API path's. */
    public static final int MAX_USER_ID_LENGTH = 256;

    public Identity {
        sendTo = sendTo == null ? Set.of() : Set.copyOf(sendTo);
    }

    /** An unverified identity taken from the client's word, as in the seed. */
    public static Identity unverified(String userId) {
        return new Identity(userId, false, 0, Set.of());
    }

    /** Whether the credential has expired at {@code nowMillis}. */
    public boolean expiredAt(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }
}
