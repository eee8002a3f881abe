package dev.switchboard.broker;

import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;

import java.util.concurrent.CompletableFuture;

/**
 * The delivery path's backend: carries publications to every node that holds a connection of the
 * addressee, including this one, and keeps each user's stream — it assigns every publication the
 * next {@code seq} of its user's stream and keeps recent history for recovery. A broker never
 * delivers to connections itself: it hands each placed publication to the {@link BrokerListener}
 * of every interested node, which is the one delivery path for local and remote messages alike.
 * A node's other cluster-wide needs are separate roles: {@link PresenceStore} and
 * {@link ClusterControl}, usually implemented by the same backend.
 *
 * <p>Threading: all methods are thread-safe and non-blocking; they may be called from event loops.
 * Ordering: the publications of one user reach each listener in seq order, and seq order follows
 * publish order per publishing thread. Delivery guarantee: at most once per listener. Failure: a
 * failure is reported through the returned future, never silently dropped; a request the backend
 * refused without sending (it cannot be reached) fails with
 * {@link dev.switchboard.core.BrokerUnavailableException}.
 */
public interface Broker extends AutoCloseable {
    /**
     * Starts the broker. {@code listener} receives every publication for a user this node has
     * subscribed to, and what other nodes report ({@link BrokerListener}). Must be called once,
     * before any other method.
     */
    CompletableFuture<Void> start(BrokerListener listener);

    /**
     * Places the publication at the next seq of its user's stream, keeps it in history, and hands
     * it to every subscribed node.
     *
     * @return completes with the connections it was queued to across every node that received it,
     *     and its position; or exceptionally if the broker could not accept it
     */
    default CompletableFuture<PublishResult> publish(Publication publication) {
        return publish(publication, null);
    }

    /**
     * Like {@link #publish(Publication)}, once per idempotency key: a repeat of {@code key} for the
     * same user and message within the window (at least the history TTL) is neither kept nor
     * delivered again, and completes with the first publish's result marked
     * {@linkplain PublishResult#duplicate() duplicate}. The check and the placing are one atomic
     * step, so a retry racing its original through another node is caught too.
     *
     * @param key the sender's key, or {@code null} for none
     * @return as {@link #publish(Publication)}; exceptionally with an
     *     {@link dev.switchboard.core.IdempotencyKeyReusedException} if the key was used for another
     *     user or message (nothing was sent)
     */
    CompletableFuture<PublishResult> publish(Publication publication, IdempotencyKey key);

    /**
     * What a client positioned at {@code since} of {@code epoch} missed. A caller that must not miss
     * a publication subscribes first, then recovers, and drops what it sees twice (by seq).
     */
    CompletableFuture<Recovery> recover(String userId, long since, String epoch);

    /** The current position of the user's stream (a new stream starts at seq 0 in a new epoch). */
    CompletableFuture<StreamPosition> position(String userId);

    /**
     * Declares this node's interest in a user's publications: called when the user arrives on this
     * node (the hub's first connection or reservation of the user). Completes when publications for
     * the user will reach the listener. A subscribe that fails is rolled back, as if it had not
     * been made: the caller must not {@link #unsubscribe} it.
     *
     * <p>Calls are counted, because the hub's reports of one user's arrival and departure can
     * reach the broker in any order (a departure's unsubscribe may land after the next arrival's
     * subscribe): the node stays subscribed while subscribes outnumber unsubscribes.
     */
    CompletableFuture<Void> subscribe(String userId);

    /** Withdraws a successful {@link #subscribe}: called when the user leaves this node. */
    CompletableFuture<Void> unsubscribe(String userId);

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
