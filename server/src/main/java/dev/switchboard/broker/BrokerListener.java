package dev.switchboard.broker;

import dev.switchboard.core.Publication;

/**
 * Receives the publications a {@link Broker} carries to this node.
 *
 * <p>Threading: may be called from any thread, including concurrently; implementations must not
 * block. Ordering: see {@link Broker}.
 */
@FunctionalInterface
public interface BrokerListener {
    /**
     * Delivers a publication to this node's connections.
     *
     * @return the number of connections it was queued to on this node
     */
    int onPublication(Publication publication);
}
