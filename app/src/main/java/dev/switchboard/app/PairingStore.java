package dev.switchboard.app;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where pairing keeps what every node must see: pending codes and the key that signs device
 * tokens. One node keeps them in memory ({@link MemoryPairingStore}); a cluster in Redis
 * ({@link RedisPairingStore}), so a code issued on one node is redeemed on another and a device
 * token signed on one is accepted by all.
 *
 * <p>Codes are stored under their SHA-256 digest only, never in clear. Threading: every method
 * may be called on an event loop and must not block; futures complete on any thread. Failure:
 * a future fails (any exception) when the store cannot be reached or did not answer within its
 * timeout; the caller answers 503. Implementations are thread-safe.
 */
public interface PairingStore extends AutoCloseable {
    /**
     * Keeps {@code grant} under {@code codeDigest} for {@code lifetime}.
     *
     * @return {@code false} when the store's bound on codes is reached (nothing was stored)
     */
    CompletableFuture<Boolean> put(String codeDigest, PairingGrant grant, Duration lifetime);

    /**
     * Removes and returns the grant under {@code codeDigest}, atomically: of any number of
     * concurrent takes of one code, on any nodes, at most one gets it.
     *
     * @return empty when the code is unknown, already taken or expired
     */
    CompletableFuture<Optional<PairingGrant>> take(String codeDigest);

    /**
     * Agrees on the device-token key: stores {@code proposal} unless a key is stored already, and
     * returns the stored key. Every node that asks gets the same key while the store keeps it.
     */
    CompletableFuture<byte[]> agreeOnDeviceKey(byte[] proposal);

    /** Stops timers and closes connections. Blocks at most briefly; idempotent. */
    @Override
    void close();
}
