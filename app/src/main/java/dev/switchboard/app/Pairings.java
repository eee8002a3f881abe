package dev.switchboard.app;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Identity;
import dev.switchboard.core.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pairing a phone to a PC in token mode, where the server may hold only a public key and so cannot
 * mint JWTs. The PC, authenticated by its own JWT, gets an opaque <b>pairing code</b>: 128 random
 * bits, valid for {@link #CODE_LIFETIME}, redeemable once. The phone redeems it for a <b>device
 * token</b> ({@code sbd_…}), which the WebSocket handshake accepts like a JWT (see
 * {@link PairingAuthenticator}) for the PC's user and {@code sendTo} claim, until the PC's token
 * expires, at most {@link #MAX_DEVICE_LIFETIME}.
 *
 * <p>Codes live in a {@link PairingStore} under their SHA-256 digest: in memory on a single node,
 * in Redis in a cluster, where taking a code is atomic across nodes, so a code works once even when
 * two phones race for it on two nodes. Device tokens are self-contained ({@link DeviceTokens}):
 * signed with a key the nodes agree on through the store, so any node verifies them without a
 * lookup, and nothing per device is stored. The key is checked every {@link #KEY_CHECK_INTERVAL}
 * (a Redis that lost it gets it back); until this node has it, {@link #issue} and {@link #redeem}
 * fail and device tokens are refused. Secrets are never logged.
 *
 * <p>Threading: thread-safe; no method blocks. {@link #device} is synchronous (it runs in the
 * handshake); {@link #issue} and {@link #redeem} complete when the store answered, on any thread,
 * and fail when the store cannot be reached.
 */
public final class Pairings implements AutoCloseable {
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(2);
    public static final Duration MAX_DEVICE_LIFETIME = Duration.ofHours(12);
    static final Duration KEY_CHECK_INTERVAL = Duration.ofSeconds(1);
    static final int KEY_BYTES = 32;
    /** Marks a device token, so the handshake knows it is not a JWT. */
    public static final String DEVICE_TOKEN_PREFIX = DeviceTokens.PREFIX;
    private static final Logger log = LoggerFactory.getLogger(Pairings.class);

    private final Clock clock;
    private final PairingStore store;
    private final SecureRandom random = new SecureRandom();
    private final CompletableFuture<Void> keyed = new CompletableFuture<>();
    private final AtomicBoolean agreeing = new AtomicBoolean();
    private final Scheduler.Cancellable keyCheck;
    private volatile byte[] proposal;
    private volatile DeviceTokens tokens;
    private volatile boolean warned;

    /** A pairing code for the phone's link. */
    public record Code(String code, long expiresAtMillis) {
        @Override
        public String toString() {
            return "Code[expiresAt=" + expiresAtMillis + "]";
        }
    }

    /** A device token for the phone's WebSocket, for {@code userId}. */
    public record Device(String token, String userId, long expiresAtMillis) {
        @Override
        public String toString() {
            return "Device[user=" + userId + ", expiresAt=" + expiresAtMillis + "]";
        }
    }

    /** Pairing on {@code store}, which it owns and closes. */
    public Pairings(Clock clock, Scheduler scheduler, PairingStore store) {
        this.clock = clock;
        this.store = store;
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        this.proposal = key;
        agreeOnKey();
        this.keyCheck = scheduler.scheduleAtFixedRate(this::agreeOnKey, KEY_CHECK_INTERVAL);
    }

    /** A single node's pairing: codes in memory, a key of its own. */
    public static Pairings inMemory(Clock clock, Scheduler scheduler) {
        return new Pairings(clock, scheduler, new MemoryPairingStore(clock, scheduler));
    }

    /** Completes once this node has the device key, so pairing works (at once for a single node). */
    public CompletableFuture<Void> ready() {
        return keyed.copy();
    }

    /**
     * A new code for the user of {@code pc}, a verified identity with a user.
     *
     * @return empty when the store holds as many codes as it may; fails when the store is
     *     unreachable or this node has no device key yet
     */
    public CompletableFuture<Optional<Code>> issue(Identity pc) {
        if (pc.userId() == null) {
            throw new IllegalArgumentException("only a connection with a user can pair");
        }
        if (tokens == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no device key yet"));
        }
        String code = secret(16);
        long expires = clock.currentTimeMillis() + CODE_LIFETIME.toMillis();
        return store.put(digest(code), PairingGrant.of(pc), CODE_LIFETIME)
                .thenApply(stored -> stored ? Optional.of(new Code(code, expires)) : Optional.empty());
    }

    /**
     * Exchanges a code for a device token, once.
     *
     * @return empty when the code is unknown, used or expired; fails when the store is unreachable
     *     or this node has no device key yet (the code is then not used up)
     */
    public CompletableFuture<Optional<Device>> redeem(String code) {
        if (code == null || code.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        DeviceTokens signer = tokens;
        if (signer == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no device key yet"));
        }
        return store.take(digest(code)).thenApply(grant -> grant.flatMap(pc -> device(signer, pc)));
    }

    private Optional<Device> device(DeviceTokens signer, PairingGrant pc) {
        long now = clock.currentTimeMillis();
        long ceiling = now + MAX_DEVICE_LIFETIME.toMillis();
        long expires = pc.expiresAtMillis() == 0 ? ceiling : Math.min(pc.expiresAtMillis(), ceiling);
        if (expires <= now) {
            return Optional.empty();
        }
        String token = signer.mint(new PairingGrant(pc.userId(), pc.sendTo(), expires));
        return Optional.of(new Device(token, pc.userId(), expires));
    }

    /** The identity of a device token, or empty when it is forged, expired, or this node has no key yet. */
    public Optional<Identity> device(String token) {
        DeviceTokens verifier = tokens;
        return verifier == null ? Optional.empty() : verifier.verify(token, clock.currentTimeMillis());
    }

    /**
     * Proposes this node's key (or the one it adopted) and adopts what the store holds; one
     * attempt at a time. Re-proposing keeps the key in a Redis that lost its data, so nodes that
     * start later agree with the running ones.
     */
    private void agreeOnKey() {
        if (!agreeing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<byte[]> agreed;
        try {
            agreed = store.agreeOnDeviceKey(proposal);
        } catch (RuntimeException e) {
            agreed = CompletableFuture.failedFuture(e);
        }
        agreed.whenComplete((key, error) -> {
            agreeing.set(false);
            if (error != null) {
                if (!warned) {
                    warned = true;
                    log.warn("pairing: cannot agree on the device key yet ({}); pairing answers 503 until then",
                            error.getClass().getSimpleName());
                }
                return;
            }
            adopt(key);
        });
    }

    private void adopt(byte[] key) {
        DeviceTokens current = tokens;
        if (current != null && current.usesKey(key)) {
            return;
        }
        if (current != null) {
            log.warn("pairing: the shared device key changed (did Redis lose its data?); phones paired before"
                    + " must pair again");
        }
        proposal = key.clone();
        tokens = new DeviceTokens(proposal);
        warned = false;
        keyed.complete(null);
    }

    @Override
    public void close() {
        keyCheck.cancel();
        store.close();
    }

    private String secret(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** Base64url of the SHA-256 of {@code secret}: how a code is named in the store. */
    static String digest(String secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
