package dev.switchboard.node;

import dev.switchboard.broker.Broker;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.hub.ConnectionRegistry;
import dev.switchboard.hub.LocalHub;
import dev.switchboard.hub.RegistryChange;
import dev.switchboard.hub.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The façade of one Switchboard node: it owns the live connections (a {@link LocalHub} over a
 * {@link ConnectionRegistry}) and a {@link Broker}, and is the broker's listener. Transports and the
 * HTTP API talk to the node, never to the broker or the registry directly.
 *
 * <p>The one delivery path: {@link #publish} → broker → {@link #onPublication} → hub → sessions,
 * whether the broker is in memory or shared by a cluster.
 *
 * <p>Thread-safe; no method blocks.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final LocalHub hub;
    private final Broker broker;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    public Node(ConnectionRegistry registry, Broker broker) {
        this.hub = new LocalHub(registry);
        this.broker = broker;
    }

    /** Starts the broker with this node as its listener. */
    public CompletableFuture<Void> start() {
        return broker.start(hub::deliver);
    }

    /**
     * Publishes to a user wherever their connections are.
     *
     * @return completes with the number of connections the message was queued to
     */
    public CompletableFuture<PublishResult> publish(Publication publication) {
        return broker.publish(publication);
    }

    /**
     * Registers a session that has completed its handshake. A session with a user becomes a
     * target at once; a send-only session is only tracked (heartbeats, shutdown).
     */
    public void open(Session session) {
        sessions.add(session);
        if (session.userId() != null
                && hub.registry().add(session) == RegistryChange.USER_ONLINE) {
            broker.subscribe(session.userId()).exceptionally(error -> {
                log.warn("subscribe failed for a user; closing their connection", error);
                session.close(dev.switchboard.core.CloseCodes.INTERNAL_ERROR, "subscribe failed");
                return null;
            });
        }
    }

    /**
     * Unregisters a session; idempotent. Called as soon as the session starts closing, so no
     * count includes a closing connection.
     */
    public void closed(Session session) {
        if (!sessions.remove(session)) {
            return;
        }
        if (session.userId() != null
                && hub.registry().remove(session) == RegistryChange.USER_OFFLINE) {
            broker.unsubscribe(session.userId());
        }
    }

    /**
     * The number of open connections of {@code userId}.
     *
     * @return completes with the count (this node's; a cluster adds every node's)
     */
    public CompletableFuture<Integer> userConnections(String userId) {
        return CompletableFuture.completedFuture(hub.registry().sessions(userId).length);
    }

    /**
     * Closes every connection of {@code userId} with {@code code} and {@code reason}.
     *
     * @return completes with the number of connections that were told to close
     */
    public CompletableFuture<Integer> disconnect(String userId, int code, String reason) {
        Session[] sessions = hub.registry().sessions(userId);
        for (Session session : sessions) {
            session.close(code, reason);
        }
        return CompletableFuture.completedFuture(sessions.length);
    }

    /** Number of open connections, registered and send-only. */
    public int connectionCount() {
        return sessions.size();
    }

    /** The user registry (read-only use: counts and lookups). */
    public ConnectionRegistry registry() {
        return hub.registry();
    }

    /** Visits every open session, weakly consistent. */
    public void forEachSession(Consumer<Session> action) {
        sessions.forEach(action);
    }

    /** Starts closing every session with {@code code} and {@code reason}. */
    public void closeAll(int code, String reason) {
        for (Session session : sessions.toArray(new Session[0])) {
            session.close(code, reason);
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
