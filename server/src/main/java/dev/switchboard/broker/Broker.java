package dev.switchboard.broker;

import dev.switchboard.core.ClusterCount;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;

import java.util.concurrent.CompletableFuture;

/**
 * Carries publications to every node that holds a connection of the addressee, including this
 * one, and keeps each user's stream: it assigns every publication the next {@code seq} of its
 * user's stream and keeps recent history for recovery. A broker never delivers to connections
 * itself: it hands each placed publication to the {@link BrokerListener} of every interested node,
 * which is the one delivery path for local and remote messages alike.
 *
 * <p>A broker also carries what a cluster's nodes must tell each other about a user: connection
 * counts ({@link #presence}, {@link #connections}), receipts for a sending connection on another
 * node ({@link #routeReceipt}) and disconnects ({@link #disconnect}). A single-node broker answers
 * these from the caller's own figures.
 *
 * <p>Threading: all methods are thread-safe and non-blocking; they may be called from event loops.
 * Ordering: the publications of one user reach each listener in seq order, and seq order follows
 * publish order per publishing thread. Delivery guarantee: at most once per listener; a failure is
 * reported through the returned future, never silently dropped.
 */
public interface Broker extends AutoCloseable {
    /**
     * Starts the broker. {@code listener} receives every publication for a user this node has
     * subscribed to. Must be called once, before any other method.
     */
    CompletableFuture<Void> start(BrokerListener listener);

    /**
     * Places the publication at the next seq of its user's stream, keeps it in history, and hands
     * it to every subscribed node.
     *
     * @return completes with the connections it was queued to across every node that received it,
     *     and its position; or exceptionally if the broker could not accept it
     */
    CompletableFuture<PublishResult> publish(Publication publication);

    /**
     * What a client positioned at {@code since} of {@code epoch} missed. A caller that must not miss
     * a publication subscribes first, then recovers, and drops what it sees twice (by seq).
     */
    CompletableFuture<Recovery> recover(String userId, long since, String epoch);

    /** The current position of the user's stream (a new stream starts at seq 0 in a new epoch). */
    CompletableFuture<StreamPosition> position(String userId);

    /**
     * Declares interest in a user's publications: called when this node gains the user's first
     * connection. Completes when publications for the user will reach the listener. Calls are
     * counted: a user stays subscribed while subscribes outnumber unsubscribes, whatever order
     * concurrent calls land in.
     */
    CompletableFuture<Void> subscribe(String userId);

    /** Withdraws one subscribe: called when this node loses the user's last connection. */
    CompletableFuture<Void> unsubscribe(String userId);

    /**
     * Records that this node now holds {@code localConnections} connections of the user and tells
     * every other node holding the user ({@link BrokerListener#onPresence}); this node's own
     * connections are the caller's to tell. Reports of one user may be made concurrently and reach
     * the store in any order: the one with the highest {@code revision} wins, so a late report
     * never overwrites a newer count.
     *
     * @param revision orders this node's reports of the user: a later count has a higher revision
     * @return completes with the user's connections across the cluster once the count is recorded,
     *     so that any node asked after that counts it
     */
    CompletableFuture<Integer> presence(String userId, int localConnections, long revision);

    /**
     * The user's connections across the cluster, given that this node holds {@code localConnections}.
     * Nodes that stopped answering are not counted.
     */
    CompletableFuture<Integer> connections(String userId, int localConnections);

    /**
     * Hands a receipt to the node that holds the sending connection ({@link BrokerListener#onReceipt}),
     * when that is another node. At most once; a receipt for a node that is gone is dropped.
     *
     * @return whether the connection belongs to another node that the receipt was sent to
     */
    boolean routeReceipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId);

    /**
     * Closes the user's connections on every node, this one included ({@link BrokerListener#onDisconnect}).
     *
     * @return completes with the number of connections told to close across the nodes that answered
     */
    CompletableFuture<ClusterCount> disconnect(String userId, int code, String reason);

    /**
     * Whether the broker can carry publications now. Always true for a single node; a cluster
     * broker is not ready while its store is unreachable or its subscriptions have gone silent.
     */
    default boolean ready() {
        return true;
    }

    /** Stops the broker and releases its resources. Does not throw. */
    @Override
    void close();
}
