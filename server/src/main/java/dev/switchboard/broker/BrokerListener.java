package dev.switchboard.broker;

import dev.switchboard.core.Publication;

/**
 * Receives what a {@link Broker} carries to this node: publications for the users it holds, and
 * what other nodes report about them.
 *
 * <p>Threading: may be called from any thread, including concurrently; implementations must not
 * block. Ordering: see {@link Broker}.
 */
public interface BrokerListener {
    /**
     * Delivers a publication to this node's connections.
     *
     * @return the number of connections it was queued to on this node
     */
    int onPublication(Publication publication);

    /** Another node's connections of {@code userId} changed; the user now has {@code connections} in all. */
    void onPresence(String userId, int connections);

    /** A receipt for a connection of this node, sent by a recipient on another node. */
    void onReceipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId);

    /**
     * Closes this node's connections of {@code userId}.
     *
     * @return the number of connections told to close
     */
    int onDisconnect(String userId, int code, String reason);
}
