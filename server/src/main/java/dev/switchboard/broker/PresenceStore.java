package dev.switchboard.broker;

import java.util.concurrent.CompletableFuture;

/**
 * How many connections each user has across the cluster. Each node records its own count of a
 * user; the total is the sum over the nodes that are alive. A single node's store answers from the
 * caller's own figures.
 *
 * <p>Threading: thread-safe and non-blocking. Ordering: a node's reports of one user may be made
 * concurrently and land in any order; the one with the highest revision wins, so a late report
 * never overwrites a newer count. Failure: reported through the returned future; a count that
 * could not be recorded is recorded again after an outage ({@link Broker}'s recovery).
 */
public interface PresenceStore {
    /**
     * Records that this node now holds {@code localConnections} connections of the user and tells
     * every other node holding the user ({@link BrokerListener#onPresence}); this node's own
     * connections are the caller's to tell.
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
}
