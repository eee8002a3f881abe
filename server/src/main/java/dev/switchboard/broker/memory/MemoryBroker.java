package dev.switchboard.broker.memory;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerListener;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;

import java.util.concurrent.CompletableFuture;

/**
 * The single-node broker: hands each publication straight to this node's listener on the
 * publishing thread. It delivers through the same {@link BrokerListener} callback a distributed
 * broker uses, so a single node runs the same delivery code as a cluster.
 *
 * <p>Every publication reaches the listener (the listener itself finds no connections for a user
 * who is not here), so subscriptions need no bookkeeping. Ordering: publish order per thread.
 * Thread-safe.
 */
public final class MemoryBroker implements Broker {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private volatile BrokerListener listener;

    @Override
    public CompletableFuture<Void> start(BrokerListener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("already started");
        }
        this.listener = listener;
        return DONE;
    }

    @Override
    public CompletableFuture<PublishResult> publish(Publication publication) {
        BrokerListener target = listener;
        if (target == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker not started"));
        }
        return CompletableFuture.completedFuture(new PublishResult(target.onPublication(publication)));
    }

    @Override
    public CompletableFuture<Void> subscribe(String userId) {
        return DONE;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String userId) {
        return DONE;
    }

    @Override
    public void close() {
        listener = null;
    }
}
