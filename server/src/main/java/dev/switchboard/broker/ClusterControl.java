package dev.switchboard.broker;

import dev.switchboard.core.ClusterCount;
import dev.switchboard.core.Forwarded;
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

    /**
     * Hands one request of a connection that another node holds to that node, which runs it there as
     * if it had come in directly ({@link BrokerListener#onForwarded}), and gives back its answer: how a
     * request sent to the wrong node of a cluster still gets through (an SSE client's {@code POST},
     * behind a load balancer that does not keep a client on one node). The identity was checked here.
     *
     * <p>At most once; the answer completes the future: the holding node's, {@link Forwarded#notHeld()}
     * when that node is gone, or {@link dev.switchboard.core.BrokerUnavailableException} when the broker
     * cannot reach it or it did not answer in time (the cluster's ack timeout and 2 s more: a
     * forwarded send waits for its counts there) — a request that timed out may have run there all
     * the same. Without a cluster (the default), or when the connection id names this node,
     * completes with {@code null}: there is nowhere to forward to.
     *
     * @param connectionId the connection, whose id names the node that holds it
     * @param userId the identity the request came with
     * @param request the request, as it came
     */
    default CompletableFuture<Forwarded> forward(String connectionId, String userId, byte[] request) {
        return CompletableFuture.completedFuture(null);
    }
}
