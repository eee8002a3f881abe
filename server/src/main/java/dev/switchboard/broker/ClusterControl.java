package dev.switchboard.broker;

import dev.switchboard.core.ClusterCount;
import dev.switchboard.core.Publication;

import java.util.concurrent.CompletableFuture;

/**
 * What one node asks of the others about a user's connections: receipts for a sending connection
 * on another node, and disconnects. A single node's control only reaches itself.
 *
 * <p>Threading: thread-safe and non-blocking. Delivery: at most once; a node that is gone, or does
 * not answer in time, is left out (and a count says so: {@link ClusterCount#partial()}). Failure:
 * reported through the returned future.
 */
public interface ClusterControl {
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
}
