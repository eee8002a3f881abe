package dev.switchboard.app;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Scheduler;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A single node's pairing store: codes in this server's memory (a restart means pairing again),
 * at most {@link #MAX_PENDING_CODES} at once, expired ones swept every {@link #SWEEP_INTERVAL};
 * expiry follows the injected clock. The device key is whatever this node proposes. Every future
 * is already complete when returned. Thread-safe; taking is atomic.
 */
public final class MemoryPairingStore implements PairingStore {
    public static final int MAX_PENDING_CODES = 10_000;
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

    private final Clock clock;
    private final ConcurrentHashMap<String, Pending> codes = new ConcurrentHashMap<>();
    private final Scheduler.Cancellable sweeper;

    private record Pending(PairingGrant grant, long expiresAtMillis) {
        boolean expiredAt(long nowMillis) {
            return nowMillis >= expiresAtMillis;
        }
    }

    public MemoryPairingStore(Clock clock, Scheduler scheduler) {
        this.clock = clock;
        this.sweeper = scheduler.scheduleAtFixedRate(this::sweep, SWEEP_INTERVAL);
    }

    @Override
    public CompletableFuture<Boolean> put(String codeDigest, PairingGrant grant, Duration lifetime) {
        if (codes.size() >= MAX_PENDING_CODES) {
            sweep();
            if (codes.size() >= MAX_PENDING_CODES) {
                return CompletableFuture.completedFuture(false);
            }
        }
        codes.put(codeDigest, new Pending(grant, clock.currentTimeMillis() + lifetime.toMillis()));
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Optional<PairingGrant>> take(String codeDigest) {
        Pending pending = codes.remove(codeDigest);
        boolean valid = pending != null && !pending.expiredAt(clock.currentTimeMillis());
        return CompletableFuture.completedFuture(valid ? Optional.of(pending.grant()) : Optional.empty());
    }

    @Override
    public CompletableFuture<byte[]> agreeOnDeviceKey(byte[] proposal) {
        return CompletableFuture.completedFuture(proposal);
    }

    /** Pending codes, expired ones included until the next sweep (for tests and the bound). */
    public int pendingCodes() {
        return codes.size();
    }

    /** Drops expired codes. */
    public void sweep() {
        long now = clock.currentTimeMillis();
        codes.values().removeIf(pending -> pending.expiredAt(now));
    }

    @Override
    public void close() {
        sweeper.cancel();
    }
}
