package dev.switchboard.broker;

import dev.switchboard.core.Forwarded;
import dev.switchboard.core.Publication;

import java.util.Map;
import java.util.function.Consumer;

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

    /**
     * After the broker could not carry publications for a while (its store or subscriptions were
     * down), these users' streams moved past what this node delivered, or were reset: called once
     * per outage, when the broker has checked every user this node holds.
     *
     * @param missed for each such user, how many publications this node did not deliver (when the
     *     stream was reset, the new stream's length: a lower bound)
     */
    void onMissed(Map<String, Long> missed);

    /**
     * A request another node forwarded to this one ({@link ClusterControl#forward}): run it on this
     * node's connection {@code connectionId} as if it had come in here, and give its answer to
     * {@code answer} once, from any thread ({@link Forwarded#notHeld()} if there is no such
     * connection). The default holds no connection.
     */
    default void onForwarded(String connectionId, String userId, byte[] request, Consumer<Forwarded> answer) {
        answer.accept(Forwarded.notHeld());
    }
}
