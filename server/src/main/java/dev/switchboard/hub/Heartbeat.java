package dev.switchboard.hub;

import dev.switchboard.core.Clock;
import dev.switchboard.core.CloseCodes;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Keeps connections honest: pings each one every {@code pingInterval} and closes one that has sent
 * nothing (no frame, no pong) for {@code idleTimeout}, with {@link CloseCodes#IDLE_TIMEOUT}, one
 * whose token has expired, with {@link CloseCodes#TOKEN_EXPIRED}, and — with a
 * {@code maxConnectionAge} — one older than its share of it (between 90% and 100%, spread by its
 * id), with {@link CloseCodes#SERVICE_RESTART}, so its client reconnects, maybe to another node.
 *
 * <p>It owns no timer: whoever wires it calls {@link #tick()} periodically (a tick period well
 * below both durations bounds the error), so tests drive it with a manual clock. Thread-safe: a
 * tick that finds another one running returns at once, so the per-session ping bookkeeping (the
 * session's own activity timestamp plus a map) is only ever touched by one tick, and no lock is
 * held while sessions are pinged or closed.
 */
public final class Heartbeat {
    private final Clock clock;
    private final long pingIntervalNanos;
    private final long idleTimeoutNanos;
    private final long maxAgeNanos;
    private final Consumer<Consumer<Session>> sessions;
    /** The close reason of a connection that reached its age limit. */
    public static final String AGE_LIMIT_REASON = "connection age limit; reconnect";
    private final java.util.Map<Session, Long> lastPing = new java.util.WeakHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean ticking = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param sessions visits every live session (registered and send-only)
     */
    public Heartbeat(Clock clock, Duration pingInterval, Duration idleTimeout,
                     Consumer<Consumer<Session>> sessions) {
        this(clock, pingInterval, idleTimeout, Duration.ZERO, sessions);
    }

    /**
     * @param maxConnectionAge close connections this old ({@link Duration#ZERO}: never)
     * @param sessions visits every live session (registered and send-only)
     */
    public Heartbeat(Clock clock, Duration pingInterval, Duration idleTimeout, Duration maxConnectionAge,
                     Consumer<Consumer<Session>> sessions) {
        this.maxAgeNanos = maxConnectionAge.toNanos();
        this.clock = clock;
        this.pingIntervalNanos = pingInterval.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.sessions = sessions;
    }

    /** Checks every session once; does nothing if a tick is already running. */
    public void tick() {
        if (!ticking.compareAndSet(false, true)) {
            return;
        }
        try {
            long now = clock.nanoTime();
            long wallNow = clock.currentTimeMillis();
            sessions.accept(session -> check(session, now, wallNow));
        } finally {
            ticking.set(false);
        }
    }

    private void check(Session session, long now, long wallNow) {
        long expires = session.expiresAtMillis();
        if (expires != 0 && wallNow >= expires) {
            lastPing.remove(session);
            session.close(CloseCodes.TOKEN_EXPIRED, "token expired");
            return;
        }
        if (maxAgeNanos > 0 && now - session.openedNanos() >= ageLimitNanos(session)) {
            lastPing.remove(session);
            session.close(CloseCodes.SERVICE_RESTART, AGE_LIMIT_REASON);
            return;
        }
        long idle = now - session.lastActivityNanos();
        if (idle >= idleTimeoutNanos) {
            lastPing.remove(session);
            session.close(CloseCodes.IDLE_TIMEOUT, "idle timeout");
            return;
        }
        Long pinged = lastPing.get(session);
        long sincePing = pinged == null ? idle : now - pinged;
        if (sincePing >= pingIntervalNanos && idle >= pingIntervalNanos) {
            lastPing.put(session, now);
            session.ping();
        }
    }

    /** This session's age limit: between 90% and 100% of the maximum, spread by a hash of its id. */
    long ageLimitNanos(Session session) {
        long spread = Integer.toUnsignedLong(session.id().hashCode() * 0x9E3779B9) % 1000;
        return maxAgeNanos - maxAgeNanos / 10 * spread / 1000;
    }
}
