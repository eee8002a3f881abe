package dev.switchboard.app;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Identity;
import dev.switchboard.core.Scheduler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pairing a phone to a PC in token mode, where the server may hold only a public key and so cannot
 * mint JWTs. The PC, authenticated by its own JWT, gets an opaque <b>pairing code</b>: random,
 * valid for {@link #CODE_LIFETIME}, redeemable once. The phone redeems it for a <b>device token</b>
 * ({@code sbd_…}), which the WebSocket handshake accepts like a JWT (see
 * {@link PairingAuthenticator}) for the PC's user, until the PC's token expires, at most
 * {@link #MAX_DEVICE_LIFETIME}.
 *
 * <p>Both live only in this server's memory (a restart means pairing again), keyed by their
 * SHA-256 so a lookup's timing says nothing about a stored secret. Memory is bounded: at most
 * {@link #MAX_PENDING_CODES} codes and {@link #MAX_DEVICES} devices; expired entries are swept
 * every {@link #SWEEP_INTERVAL}. Secrets are never logged. Thread-safe; redeeming is atomic, so a
 * code works once even when two phones race for it.
 */
public final class Pairings implements AutoCloseable {
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(2);
    public static final Duration MAX_DEVICE_LIFETIME = Duration.ofHours(12);
    public static final int MAX_PENDING_CODES = 10_000;
    public static final int MAX_DEVICES = 10_000;
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);
    /** Marks a device token, so the handshake knows it is not a JWT. */
    public static final String DEVICE_TOKEN_PREFIX = "sbd_";

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Grant> codes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Grant> devices = new ConcurrentHashMap<>();
    private final Scheduler.Cancellable sweeper;

    /** What a code or device token stands for. */
    private record Grant(Identity identity, long expiresAtMillis) {
        boolean expiredAt(long nowMillis) {
            return nowMillis >= expiresAtMillis;
        }
    }

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

    public Pairings(Clock clock, Scheduler scheduler) {
        this.clock = clock;
        this.sweeper = scheduler.scheduleAtFixedRate(this::sweep, SWEEP_INTERVAL);
    }

    /**
     * A new code for the user of {@code pc}, a verified identity with a user.
     *
     * @return empty when {@link #MAX_PENDING_CODES} codes are pending
     */
    public Optional<Code> issue(Identity pc) {
        if (pc.userId() == null) {
            throw new IllegalArgumentException("only a connection with a user can pair");
        }
        if (codes.size() >= MAX_PENDING_CODES) {
            sweep();
            if (codes.size() >= MAX_PENDING_CODES) {
                return Optional.empty();
            }
        }
        long expires = clock.currentTimeMillis() + CODE_LIFETIME.toMillis();
        String code = secret(16);
        codes.put(digest(code), new Grant(pc, expires));
        return Optional.of(new Code(code, expires));
    }

    /**
     * Exchanges a code for a device token, once.
     *
     * @return empty when the code is unknown, used, expired, or {@link #MAX_DEVICES} devices are paired
     */
    public Optional<Device> redeem(String code) {
        if (code == null || code.isEmpty()) {
            return Optional.empty();
        }
        Grant grant = codes.remove(digest(code));
        long now = clock.currentTimeMillis();
        if (grant == null || grant.expiredAt(now)) {
            return Optional.empty();
        }
        if (devices.size() >= MAX_DEVICES) {
            sweep();
            if (devices.size() >= MAX_DEVICES) {
                return Optional.empty();
            }
        }
        Identity pc = grant.identity();
        long ceiling = now + MAX_DEVICE_LIFETIME.toMillis();
        long expires = pc.expiresAtMillis() == 0 ? ceiling : Math.min(pc.expiresAtMillis(), ceiling);
        if (expires <= now) {
            return Optional.empty();
        }
        String token = DEVICE_TOKEN_PREFIX + secret(32);
        devices.put(digest(token), new Grant(new Identity(pc.userId(), true, expires, pc.sendTo()), expires));
        return Optional.of(new Device(token, pc.userId(), expires));
    }

    /** The identity of a device token, or empty when it is unknown or expired. */
    public Optional<Identity> device(String token) {
        Grant grant = devices.get(digest(token));
        if (grant == null || grant.expiredAt(clock.currentTimeMillis())) {
            return Optional.empty();
        }
        return Optional.of(grant.identity());
    }

    /** Pending codes (for tests and the bound). */
    public int pendingCodes() {
        return codes.size();
    }

    /** Drops expired codes and device tokens. */
    public void sweep() {
        long now = clock.currentTimeMillis();
        codes.values().removeIf(grant -> grant.expiredAt(now));
        devices.values().removeIf(grant -> grant.expiredAt(now));
    }

    @Override
    public void close() {
        sweeper.cancel();
    }

    private String secret(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static String digest(String secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
