package dev.switchboard.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A sender's idempotency key for one publish: a repeat of the key by the same sender, within the
 * window, is answered with the first publish's result instead of being delivered again.
 *
 * @param scope who sent it: {@code u:<userId>} for a user, {@code c:<connectionId>} for a
 *     send-only connection, {@code api} for the server API; two scopes never share keys
 * @param key the caller's key, 1 to {@link #MAX_LENGTH} characters
 */
public record IdempotencyKey(String scope, String key) {
    /** The longest key accepted, in characters. */
    public static final int MAX_LENGTH = 128;
    /** The scope of the server API's sends. */
    public static final String API_SCOPE = "api";

    public IdempotencyKey {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("an idempotency key has 1 to " + MAX_LENGTH + " characters");
        }
    }

    /** The key of a sender: its user, or for a send-only connection, that connection. */
    public static IdempotencyKey of(String userId, String connectionId, String key) {
        return new IdempotencyKey(userId != null ? "u:" + userId : "c:" + connectionId, key);
    }

    /** Whether {@code key} is acceptable as an idempotency key. */
    public static boolean valid(String key) {
        return key != null && !key.isEmpty() && key.length() <= MAX_LENGTH;
    }

    /** A 64-bit hash of scope and key, which the single-node store keeps instead of the strings. */
    public long hash() {
        return Hash64.of(Hash64.of(Hash64.SEED, scope.getBytes(StandardCharsets.UTF_8)),
                key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What the key was used for: a 64-bit hash of the addressee and the message, so a repeat with
     * another user or another message is told apart from a retry.
     */
    public static long fingerprint(Publication publication) {
        long h = Hash64.of(Hash64.SEED, publication.userId().getBytes(StandardCharsets.UTF_8));
        h = Hash64.of(h ^ (publication.message().isString() ? 1 : 2), publication.message().text());
        return h;
    }

    /** The name of this key in a shared store (Redis): scope and key, unambiguous. */
    public String storeName() {
        return scope.length() + ":" + scope + ":" + key;
    }
}
