package dev.switchboard.client;

import java.util.concurrent.CompletionStage;

/**
 * Supplies the token for each connection attempt, so a client can outlive its tokens: when the
 * server closes a connection with {@code 4001} (token expired), the client reconnects and asks
 * for a fresh one.
 *
 * <p>Called on the client's internal thread before every attempt: do not block; fetch
 * asynchronously and return the stage. A failed stage counts as a failed attempt and is retried
 * with backoff. The token must be valid when returned: a token the server refuses (HTTP 401)
 * closes the client.
 */
@FunctionalInterface
public interface TokenProvider {
    /** A currently valid token (sent as {@code Authorization: Bearer <token>}). */
    CompletionStage<String> token();
}
