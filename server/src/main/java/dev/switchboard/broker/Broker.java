package dev.switchboard.broker;

import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;

import java.util.concurrent.CompletableFuture;

/**
 * Carries publications to every node that holds a connection of the addressee, including this
 * one. A broker never delivers to connections itself: it hands each publication to the
 * {@link BrokerListener} of every interested node, which is the one delivery path for local and
 * remote messages alike.
 *
 * <p>Threading: all methods are thread-safe and non-blocking; they may be called from event loops.
 * Ordering: publications for one user published by one thread are handed to each listener in
 * publish order. Delivery guarantee: at most once per listener; a failure is reported through the
 * returned future, never silently dropped.
 */
public interface Broker extends AutoCloseable {
    /**
     * Starts the broker. {@code listener} receives every publication for a user this node has
     * subscribed to. Must be called once, before any other method.
     */
    CompletableFuture<Void> start(BrokerListener listener);

    /**
     * Publishes to {@code publication.userId()}.
     *
     * @return completes with the number of connections the publication was queued to across every
     *     node that received it, or exceptionally if the broker could not accept it
     */
    CompletableFuture<PublishResult> publish(Publication publication);

    /**
     * Declares interest in a user's publications: called when this node gains the user's first
     * connection. Completes when publications for the user will reach the listener.
     */
    CompletableFuture<Void> subscribe(String userId);

    /** Withdraws interest: called when this node loses the user's last connection. */
    CompletableFuture<Void> unsubscribe(String userId);

    /** Stops the broker and releases its resources. Does not throw. */
    @Override
    void close();
}
