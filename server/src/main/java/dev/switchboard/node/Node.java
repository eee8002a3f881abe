package dev.switchboard.node;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerListener;
import dev.switchboard.broker.ClusterControl;
import dev.switchboard.broker.PresenceStore;
import dev.switchboard.core.Clock;
import dev.switchboard.core.ClusterCount;
import dev.switchboard.core.Forwarded;
import dev.switchboard.core.NodeIds;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.IdempotencyKeyReusedException;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;
import dev.switchboard.hub.ConnectionRegistry;
import dev.switchboard.hub.Hub;
import dev.switchboard.hub.RegistryChange;
import dev.switchboard.hub.Session;
import dev.switchboard.hub.SessionEvent;
import dev.switchboard.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The façade of one Switchboard node: it owns the live connections (a {@link Hub}) and the broker's
 * roles — {@link Broker} (publish, streams, subscriptions), {@link PresenceStore} and
 * {@link ClusterControl} — and is the broker's listener. Transports and the HTTP API talk to the
 * node, never to the broker or the hub directly.
 *
 * <p>The one delivery path: {@link #publish} → broker → hub → sessions, whether the broker is in
 * memory or shared by a cluster. The hub says when a user arrives on this node and when they leave,
 * and the node subscribes to the user's publications then, and only then.
 *
 * <p>Thread-safe; no method blocks, and the node holds no lock of its own.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final String id;
    private final Hub hub;
    private final Broker broker;
    private final PresenceStore presence;
    private final ClusterControl control;
    private final Metrics metrics;
    private final Clock clock;
    private final FailureLog publishFailures;
    private volatile ForwardedRequests forwardedRequests;

    /**
     * @param id this node's id, unique in its cluster: the prefix of its connection ids
     *     ({@link NodeIds})
     */
    public Node(String id, Hub hub, Broker broker, PresenceStore presence, ClusterControl control, Metrics metrics,
                Clock clock) {
        this.id = NodeIds.requireValid(id);
        this.hub = hub;
        this.broker = broker;
        this.presence = presence;
        this.control = control;
        this.metrics = metrics;
        this.clock = clock;
        this.publishFailures = FailureLog.forPublishing(log, clock);
    }

    /** A node with a fresh random id and no metrics, on a backend that plays every broker role. */
    public static <B extends Broker & PresenceStore & ClusterControl> Node of(Hub hub, B backend) {
        return new Node(NodeIds.random(), hub, backend, backend, backend, Metrics.NOOP, Clock.SYSTEM);
    }

    /** Starts the broker with this node as its listener. */
    public CompletableFuture<Void> start() {
        return broker.start(new NodeListener(hub, metrics, () -> forwardedRequests));
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
        return publish(publication, clock.nanoTime());
    }

    /** Publishes once per idempotency key (see {@link #publish(Publication, long, IdempotencyKey)}). */
    public CompletableFuture<PublishResult> publish(Publication publication, IdempotencyKey key) {
        return publish(publication, clock.nanoTime(), key);
    }

    /**
     * Publishes, and accounts for it whoever sent it (a WebSocket client or the HTTP API): a routed
     * message is counted with its delivery count and its latency since it arrived; a failure is
     * logged (at most one line every 10 s).
     *
     * @param arrivedNanos when the message arrived, by the node's clock
     */
    public CompletableFuture<PublishResult> publish(Publication publication, long arrivedNanos) {
        return publish(publication, arrivedNanos, null);
    }

    /**
     * Like {@link #publish(Publication, long)}, once per idempotency key (see
     * {@link Broker#publish(Publication, IdempotencyKey)}). A duplicate is not counted as routed; a
     * reused key is the sender's mistake, not a failure to log.
     *
     * @param key the sender's idempotency key, or {@code null}
     */
    public CompletableFuture<PublishResult> publish(Publication publication, long arrivedNanos, IdempotencyKey key) {
        CompletableFuture<PublishResult> published = broker.publish(publication, key);
        if (published.isDone() && !published.isCompletedExceptionally()) {
            routed(published.join(), arrivedNanos);
            return published;
        }
        return published.whenComplete((result, error) -> {
            if (error == null) {
                routed(result, arrivedNanos);
            } else if (!IdempotencyKeyReusedException.is(error)) {
                publishFailures.failed(error);
            }
        });
    }

    private void routed(PublishResult result, long arrivedNanos) {
        if (!result.duplicate()) {
            metrics.messageRouted(result.delivered(), clock.nanoTime() - arrivedNanos);
        }
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
     * Holds a place for a connection of {@code userId} about to open: completes when the user's
     * messages reach this node (at once on a single node; once the subscription is active in a
     * cluster), or exceptionally if the broker could not subscribe. Call it before {@link #open}, so
     * that a client that has completed its handshake misses nothing; pair it with {@link #open}, or
     * with {@link #release} if the connection never opens.
     */
    public CompletableFuture<Void> prepare(String userId) {
        ConnectionRegistry.Reservation reservation = hub.reserve(userId);
        if (reservation.first()) {
            CompletableFuture<Void> interest = reservation.interest();
            broker.subscribe(userId).whenComplete((ok, error) -> {
                if (error == null) {
                    interest.complete(null);
                } else {
                    interest.completeExceptionally(error);
                }
            });
        }
        return reservation.interest().copy();
    }

    /** Gives back a {@link #prepare} whose connection never opened. */
    public void release(String userId) {
        withdraw(userId, hub.release(userId));
    }

    /**
     * Registers a session that is completing its handshake. A session with a user becomes a
     * target at once, and the user's other connections hear of it; a send-only session is only
     * tracked (heartbeats, shutdown, receipts). A session with a user must have been
     * {@linkplain #prepare prepared}.
     *
     * @return completes when the connection is counted by every node (at once on a single node;
     *     once the presence store recorded the count in a cluster): write the handshake's answer
     *     after that, so a backend that hears of the connection and asks any node counts it. Never
     *     fails: a count that could not be recorded is logged, and recorded again after an outage.
     */
    public CompletableFuture<Void> open(Session session) {
        RegistryChange change = hub.add(session);
        return session.userId() != null && change.changed() ? presenceChanged(session.userId(), session) : DONE;
    }

    /**
     * Unregisters a session; idempotent. Called as soon as the session starts closing, so no
     * count includes a closing connection.
     */
    public void closed(Session session) {
        ConnectionRegistry.Removal removal = hub.remove(session);
        String userId = session.userId();
        if (removal == null || userId == null) {
            return;
        }
        withdraw(userId, removal.interest());
        if (removal.change().changed()) {
            presenceChanged(userId, session);
        }
    }

    /**
     * The user left this node ({@code interest} is not null): unsubscribe — but only a subscription
     * that succeeded, once it has (a failed one was rolled back by the broker).
     */
    private void withdraw(String userId, CompletableFuture<Void> interest) {
        if (interest != null) {
            interest.thenRun(() -> broker.unsubscribe(userId));
        }
    }

    /**
     * Reports this node's count to the presence store, then tells the user's other connections here
     * the total. The count goes with its registry revision, so concurrent reports cannot leave a
     * stale count.
     */
    private CompletableFuture<Void> presenceChanged(String userId, Session changed) {
        ConnectionRegistry.Snapshot here = hub.snapshot(userId);
        return presence.presence(userId, here.connections(), here.revision()).handle((total, error) -> {
            if (error != null) {
                log.debug("presence update failed", error);
            } else {
                NodeListener.announcePresence(hub, userId, total, changed);
            }
            return null;
        });
    }

    /**
     * Routes a receipt: connection {@code recipientConnectionId} of user {@code to} confirmed
     * {@code seq}; the sender asked for it with {@code request}.
     *
     * @return whether the sending connection was found here or handed to its node (it may have closed)
     */
    public boolean receipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
        return NodeListener.deliverReceipt(hub, request, to, seq, recipientConnectionId)
                || control.routeReceipt(request, to, seq, recipientConnectionId);
    }

    /**
     * The number of open connections of {@code userId}.
     *
     * @return completes with the count across the cluster (this node's alone without one)
     */
    public CompletableFuture<Integer> userConnections(String userId) {
        return presence.connections(userId, hub.sessions(userId).length);
    }

    /**
     * Closes every connection of {@code userId}, on every node, with {@code code} and {@code reason}.
     *
     * @return completes with the number of connections that were told to close
     */
    public CompletableFuture<ClusterCount> disconnect(String userId, int code, String reason) {
        return control.disconnect(userId, code, reason);
    }

    /**
     * Hands a request of a connection another node holds to that node, and completes with its answer
     * ({@link ClusterControl#forward}): {@code null} when there is nowhere to forward to.
     */
    public CompletableFuture<Forwarded> forward(String connectionId, String userId, byte[] request) {
        return control.forward(connectionId, userId, request);
    }

    /** What runs the requests other nodes forward to this one ({@link BrokerListener#onForwarded}, same contract). */
    @FunctionalInterface
    public interface ForwardedRequests {
        void run(String connectionId, String userId, byte[] request, Consumer<Forwarded> answer);
    }

    /**
     * Who runs the requests other nodes forward to this one (the SSE transport); until one is set,
     * they are answered {@link Forwarded#notHeld()}.
     */
    public void answerForwarded(ForwardedRequests handler) {
        forwardedRequests = handler;
    }

    /** This node's open connection {@code connectionId}, or {@code null}. */
    public Session session(String connectionId) {
        return hub.byId(connectionId);
    }

    /** Number of open connections on this node, registered and send-only. */
    public int connectionCount() {
        return hub.connectionCount();
    }

    /** Number of open connections of {@code userId} on this node. */
    public int localConnections(String userId) {
        return hub.sessions(userId).length;
    }

    /** The open connections of {@code userId} on this node, at this instant (an unmodifiable copy). */
    public java.util.List<Session> localSessions(String userId) {
        return java.util.List.of(hub.sessions(userId));
    }

    /** Number of open connections on this node that belong to a user (send-only ones are not). */
    public int userConnectionCount() {
        return hub.userConnectionCount();
    }

    /** Number of users with at least one open connection on this node. */
    public int users() {
        return hub.users();
    }

    /** Visits every open session, weakly consistent. */
    public void forEachSession(Consumer<Session> action) {
        hub.forEach(action);
    }

    /** Starts closing every session with {@code code} and {@code reason}. */
    public void closeAll(int code, String reason) {
        java.util.List<Session> all = new java.util.ArrayList<>();
        hub.forEach(all::add);
        for (Session session : all) {
            session.close(code, reason);
        }
    }

    @Override
    public void close() {
        broker.close();
    }

    /** The close reason of a resumable connection that missed messages while the broker was away. */
    public static final String MISSED_REASON = NodeListener.MISSED_REASON;
}
