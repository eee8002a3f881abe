package dev.switchboard.core;

/**
 * Stable error codes a client can meet in an error frame ({@code "code"}). The wire names are a
 * public contract: never rename one, add new ones instead.
 */
public enum ErrorCode {
    /** The frame is not valid JSON (or holds more than one JSON value). */
    INVALID_JSON("invalid_json"),
    /** The frame is JSON but not an object. */
    INVALID_MESSAGE("invalid_message"),
    /** {@code userId} is missing, null or empty. */
    MISSING_USER_ID("missing_user_id"),
    /** {@code userId} is not a string. */
    INVALID_USER_ID("invalid_user_id"),
    /** There is no {@code message} member. */
    MISSING_MESSAGE("missing_message"),
    /** The send policy does not let this connection address that user. */
    FORBIDDEN("forbidden"),
    /** The connection sends faster than its rate limit; the message was dropped. */
    RATE_LIMITED("rate_limited"),
    /**
     * The server failed to route the message. In a cluster the message may still have been stored
     * and delivered (a Redis command that timed out).
     */
    INTERNAL_ERROR("internal_error"),
    /**
     * A cluster node cannot reach its broker (Redis), so nothing was sent; retrying later or on
     * another node cannot duplicate anything.
     */
    UNAVAILABLE("unavailable"),
    /**
     * The idempotency key was already used by this sender, within the window, for another user or
     * another message; nothing was sent.
     */
    IDEMPOTENCY_KEY_REUSED("idempotency_key_reused"),
    /**
     * A v1 {@code refresh} brought a token that is invalid, expired or for another user (or the
     * server is in dev mode, with no tokens); the connection keeps its identity and expiry.
     */
    UNAUTHORIZED("unauthorized");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    /** The code as it appears on the wire. */
    public String wireName() {
        return wireName;
    }
}
