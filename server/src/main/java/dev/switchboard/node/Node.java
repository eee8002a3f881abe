package dev.switchboard.node;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerListener;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.ClusterCount;
import dev.switchboard.core.NodeIds;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;
import dev.switchboard.hub.ConnectionRegistry;
import dev.switchboard.hub.LocalHub;
import dev.switchboard.hub.RegistryChange;
import dev.switchboard.hub.Session;
import dev.switchboard.hub.SessionEvent;
import dev.switchboard.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The façade of one Switchboard node: it owns the live connections (a {@link LocalHub} over a
 * {@link ConnectionRegistry}) and a {@link Broker}, and is the broker's listener. Transports and the
 * HTTP API talk to the node, never to the broker or the registry directly.
 *
 * <p>The one delivery path: {@link #publish} → broker → hub → sessions, whether the broker is in
 * memory or shared by a cluster. Presence events, receipts and disconnects reach this node's
 * connections directly and other nodes' through the broker.
 *
 * <p>Thread-safe; no method blocks.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final String id;
    private final LocalHub hub;
    private final Broker broker;
    private final Metrics metrics;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** The close reason of a resumable connection that missed messages while the broker was away. */
    public static final String MISSED_REASON = "messages were missed during a broker outage; reconnect to recover them";

    private final ConcurrentHashMap<String, Session> connections = new ConcurrentHashMap<>();

    /**
     * @param id this node's id, unique in its cluster: the prefix of its connection ids
     *     ({@link NodeIds})
     */
    public Node(String id, ConnectionRegistry registry, Broker broker, Metrics metrics) {
        this.id = NodeIds.requireValid(id);
        this.hub = new LocalHub(registry);
        this.broker = broker;
        this.metrics = metrics;
    }

    /** A node with a fresh random id and no metrics. */
    public Node(ConnectionRegistry registry, Broker broker) {
        this(NodeIds.random(), registry, broker, Metrics.NOOP);
    }

    /** Starts the broker with this node as its listener. */
    public CompletableFuture<Void> start() {
        return broker.start(new Listener());
    }

    /** This node's id. */
    public String id() {
        return id;
    }

    /** Whether the node can carry messages now (its broker is ready). */
    public boolean ready() {
        return broker.ready();
    }

    /**
     * Publishes to a user wherever their connections are.
     *
     * @return completes with the number of connections the message was queued to and its seq
     */
    public CompletableFuture<PublishResult> publish(Publication publication) {
        return broker.publish(publication);
    }

    /** What a client positioned at {@code since} of {@code epoch} in the user's stream missed. */
    public CompletableFuture<Recovery> recover(String userId, long since, String epoch) {
        return broker.recover(userId, since, epoch);
    }

    /** The current position of the user's stream. */
    public CompletableFuture<StreamPosition> position(String userId) {
        return broker.position(userId);
    }

    /**
     * Declares interest in a user's messages for a connection about to open: completes when the
     * user's messages reach this node (at once on a single node; after the subscription is active in
     * a cluster), or exceptionally if the broker could not subscribe (nothing to undo then). Call it
     * before {@link #open}, so that a client that has completed its handshake misses nothing; pair
     * it with {@link #closed}, or with {@link #release} if the connection never opens.
     */
    public CompletableFuture<Void> prepare(String userId) {
        return broker.subscribe(userId);
    }

    /** Withdraws a {@link #prepare} whose connection never opened. */
    public void release(String userId) {
        broker.unsubscribe(userId);
    }

    /**
     * Registers a session that is completing its handshake. A session with a user becomes a
     * target at once, and the user's other connections hear of it; a send-only session is only
     * tracked (heartbeats, shutdown, receipts). A session with a user must have been
     * {@linkplain #prepare prepared}.
     *
     * @return completes when the connection is counted by every node (at once on a single node;
     *     once the broker recorded the count in a cluster): write the handshake's answer after
     *     that, so a backend that hears of the connection and asks any node counts it. Never fails:
     *     a count the broker could not record is logged and retried by the broker's own recovery.
     */
    public CompletableFuture<Void> open(Session session) {
        connections.put(session.id(), session);
        String userId = session.userId();
        if (userId == null) {
            return DONE;
        }
        RegistryChange change = hub.registry().add(session);
        return change.changed() ? presenceChanged(userId, session) : DONE;
    }

    /**
     * Unregisters a session; idempotent. Called as soon as the session starts closing, so no
     * count includes a closing connection.
     */
    public void closed(Session session) {
        if (!connections.remove(session.id(), session)) {
            return;
        }
        String userId = session.userId();
        if (userId == null) {
            return;
        }
        RegistryChange change = hub.registry().remove(session);
        broker.unsubscribe(userId);
        if (change.changed()) {
            presenceChanged(userId, session);
        }
    }

    /**
     * Reports this node's count to the broker, then tells the user's other connections here the
     * total. The count goes with its registry revision, so concurrent reports cannot leave a stale
     * count behind.
     */
    private CompletableFuture<Void> presenceChanged(String userId, Session changed) {
        ConnectionRegistry.Snapshot here = hub.registry().snapshot(userId);
        return broker.presence(userId, here.connections(), here.revision()).handle((total, error) -> {
            if (error != null) {
                log.debug("presence update failed", error);
            } else {
                announcePresence(userId, total, changed);
            }
            return null;
        });
    }

    /** Tells the user's connections on this node, except {@code changed}, that the user has {@code total} connections. */
    private void announcePresence(String userId, int total, Session changed) {
        SessionEvent event = new SessionEvent.Presence(userId, total > 0, total);
        for (Session session : hub.registry().sessions(userId)) {
            if (session != changed) {
                session.deliverEvent(event);
            }
        }
    }

    /**
     * Routes a receipt: connection {@code recipientConnectionId} of user {@code to} confirmed
     * {@code seq}; the sender asked for it with {@code request}.
     *
     * @return whether the sending connection was found here or handed to its node (it may have closed)
     */
    public boolean receipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
        return deliverReceipt(request, to, seq, recipientConnectionId)
                || broker.routeReceipt(request, to, seq, recipientConnectionId);
    }

    private boolean deliverReceipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
        Session sender = connections.get(request.connectionId());
        if (sender == null) {
            return false;
        }
        sender.deliverEvent(new SessionEvent.Receipt(request.requestId(), to, seq, recipientConnectionId));
        return true;
    }

    /**
     * The number of open connections of {@code userId}.
     *
     * @return completes with the count across the cluster (this node's alone without one)
     */
    public CompletableFuture<Integer> userConnections(String userId) {
        return broker.connections(userId, hub.registry().sessions(userId).length);
    }

    /**
     * Closes every connection of {@code userId}, on every node, with {@code code} and {@code reason}.
     *
     * @return completes with the number of connections that were told to close
     */
    public CompletableFuture<ClusterCount> disconnect(String userId, int code, String reason) {
        return broker.disconnect(userId, code, reason);
    }

    private int disconnectHere(String userId, int code, String reason) {
        Session[] sessions = hub.registry().sessions(userId);
        for (Session session : sessions) {
            session.close(code, reason);
        }
        return sessions.length;
    }

    /** Number of open connections, registered and send-only. */
    public int connectionCount() {
        return connections.size();
    }

    /** The user registry (read-only use: counts and lookups). */
    public ConnectionRegistry registry() {
        return hub.registry();
    }

    /** Visits every open session, weakly consistent. */
    public void forEachSession(Consumer<Session> action) {
        connections.values().forEach(action);
    }

    /** Starts closing every session with {@code code} and {@code reason}. */
    public void closeAll(int code, String reason) {
        for (Session session : connections.values().toArray(new Session[0])) {
            session.close(code, reason);
        }
    }

    @Override
    public void close() {
        broker.close();
    }

    /** What the broker brings this node: one delivery path for local and remote alike. */
    private final class Listener implements BrokerListener {
        @Override
        public int onPublication(Publication publication) {
            return hub.deliver(publication);
        }

        @Override
        public void onPresence(String userId, int total) {
            announcePresence(userId, total, null);
        }

        @Override
        public void onReceipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
            deliverReceipt(request, to, seq, recipientConnectionId);
        }

        @Override
        public int onDisconnect(String userId, int code, String reason) {
            return disconnectHere(userId, code, reason);
        }

        @Override
        public void onMissed(Map<String, Long> missed) {
            int resumed = 0;
            int kept = 0;
            long keptMissed = 0;
            for (Map.Entry<String, Long> user : missed.entrySet()) {
                for (Session session : hub.registry().sessions(user.getKey())) {
                    if (session.resumable()) {
                        session.close(CloseCodes.SERVICE_RESTART, MISSED_REASON);
                        resumed++;
                    } else {
                        kept++;
                        keptMissed += user.getValue();
                    }
                }
            }
            metrics.missedDuringOutage(keptMissed);
            log.warn("after a broker outage, {} users had missed messages: {} switchboard.v1 connections were closed"
                    + " (1012) to resume and recover them; {} plain connections were kept and may have missed {}"
                    + " messages in all", missed.size(), resumed, kept, keptMissed);
        }
    }
}
