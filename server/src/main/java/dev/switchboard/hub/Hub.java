package dev.switchboard.hub;

import dev.switchboard.core.Publication;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This node's live connections — by id, and by user ({@link ConnectionRegistry}) — and the fan-out
 * of a publication to them: the one record of who is here, and the only place that delivers to
 * sessions (local and broker-relayed publications both arrive at {@link #deliver}).
 *
 * <p>Threading: thread-safe; nothing blocks, and no method calls out of the hub while it holds a
 * lock (the registry's per-user update runs no foreign code). Ordering: publications delivered by
 * one thread reach each connection in call order.
 */
public final class Hub {
    private final ConnectionRegistry users;
    private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();

    public Hub() {
        this(new ConnectionRegistry());
    }

    public Hub(ConnectionRegistry users) {
        this.users = users;
    }

    /** Holds a place for a connection of {@code userId} about to open: see {@link ConnectionRegistry#reserve}. */
    public ConnectionRegistry.Reservation reserve(String userId) {
        return users.reserve(userId);
    }

    /** Gives back a reservation whose connection never opened: see {@link ConnectionRegistry#release}. */
    public CompletableFuture<Void> release(String userId) {
        return users.release(userId);
    }

    /** Tracks a session that is opening, and registers it under its user if it has one. */
    public RegistryChange add(Session session) {
        byId.put(session.id(), session);
        return session.userId() == null ? RegistryChange.UNCHANGED : users.add(session);
    }

    /**
     * Forgets a session; idempotent, and matches by identity.
     *
     * @return what changed, or {@code null} if the session was not tracked
     */
    public ConnectionRegistry.Removal remove(Session session) {
        if (!byId.remove(session.id(), session)) {
            return null;
        }
        return session.userId() == null ? new ConnectionRegistry.Removal(RegistryChange.UNCHANGED, null)
                : users.leave(session);
    }

    /**
     * Queues the publication to every open connection of its user on this node.
     *
     * @return the number of connections it was queued to
     */
    public int deliver(Publication publication) {
        Session[] sessions = users.sessions(publication.userId());
        if (sessions.length == 0) {
            return 0;
        }
        Delivery delivery = new Delivery(publication);
        int delivered = 0;
        try {
            for (Session session : sessions) {
                if (session.deliver(delivery)) {
                    delivered++;
                }
            }
        } finally {
            delivery.release();
        }
        return delivered;
    }

    /** The user's open connections at this instant; do not modify the array. */
    public Session[] sessions(String userId) {
        return users.sessions(userId);
    }

    /** The user's connection count, with the revision that orders it: see {@link ConnectionRegistry#snapshot}. */
    public ConnectionRegistry.Snapshot snapshot(String userId) {
        return users.snapshot(userId);
    }

    /** The tracked session with this id, or {@code null}. */
    public Session byId(String connectionId) {
        return byId.get(connectionId);
    }

    /** Open connections, registered and send-only. */
    public int connectionCount() {
        return byId.size();
    }

    /** Open connections that belong to a user (send-only ones are not). */
    public int userConnectionCount() {
        return users.connections();
    }

    /** Users with at least one open connection here. */
    public int users() {
        return users.users();
    }

    /** Visits every open session, registered and send-only (weakly consistent). */
    public void forEach(Consumer<Session> action) {
        byId.values().forEach(action);
    }
}
