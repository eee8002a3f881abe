package dev.switchboard.hub;

import dev.switchboard.core.Publication;

/**
 * Fans a publication out to this node's connections of its addressee. The only place that
 * delivers to sessions: local and broker-relayed publications both arrive here.
 *
 * <p>Threading: {@link #deliver} may be called from any thread, concurrently; it never blocks.
 * Ordering: publications delivered by one thread reach each connection in call order.
 */
public final class LocalHub {
    private final ConnectionRegistry registry;

    public LocalHub(ConnectionRegistry registry) {
        this.registry = registry;
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    /**
     * Queues the publication to every open connection of its user on this node.
     *
     * @return the number of connections it was queued to
     */
    public int deliver(Publication publication) {
        Session[] sessions = registry.sessions(publication.userId());
        if (sessions.length == 0) {
            return 0;
        }
        Delivery delivery = new Delivery(publication);
        int delivered = 0;
        try {
            for (Session session : sessions) {
                if (session.deliver(delivery)) {
                    delivered++;
                }
            }
        } finally {
            delivery.release();
        }
        return delivered;
    }
}
