package dev.switchboard.broker;

import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.ClusterCount;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hand-written backend in every broker role, for testing the node without Redis: it places
 * publications in one counter per user and hands them to the listener at once, and records every
 * call. Failure switches make publish or subscribe fail (as a broker that cannot reach its store
 * does), or hold subscribes and presence reports until the test lets them complete.
 */
public final class FakeBroker implements Broker, PresenceStore, ClusterControl {
    /** Fail publishes with {@link BrokerUnavailableException}. */
    public volatile boolean publishFails;
    /** Fail subscribes with {@link BrokerUnavailableException}. */
    public volatile boolean subscribeFails;
    /** Hold subscribes until {@link #completeSubscribes()}. */
    public volatile boolean subscribeSlow;
    /** Hold presence reports until {@link #completePresence()}. */
    public volatile boolean presenceSlow;

    /** Every subscribe and unsubscribe, in call order: {@code "+bob"}, {@code "-bob"}. */
    public final List<String> subscriptions = Collections.synchronizedList(new ArrayList<>());
    /** Every presence report: {@code "bob=2@7"} (count at revision). */
    public final List<String> presenceReports = Collections.synchronizedList(new ArrayList<>());
    /** Receipts handed to "another node". */
    public final List<String> routedReceipts = Collections.synchronizedList(new ArrayList<>());

    private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> heldSubscribes = Collections.synchronizedList(new ArrayList<>());
    private final List<Runnable> heldPresence = Collections.synchronizedList(new ArrayList<>());
    private volatile BrokerListener listener;

    @Override
    public CompletableFuture<Void> start(BrokerListener listener) {
        this.listener = listener;
        return CompletableFuture.completedFuture(null);
    }

    /** The listener the node gave at start: call it to play what the broker brings. */
    public BrokerListener listener() {
        return listener;
    }

    @Override
    public CompletableFuture<PublishResult> publish(Publication publication, dev.switchboard.core.IdempotencyKey key) {
        if (publishFails) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("publish switched off"));
        }
        long seq = seqs.computeIfAbsent(publication.userId(), u -> new AtomicLong()).incrementAndGet();
        Publication placed = publication.at(seq, "fake-epoch", 0);
        int delivered = listener.onPublication(placed);
        return CompletableFuture.completedFuture(new PublishResult(delivered, seq, "fake-epoch", false));
    }

    @Override
    public CompletableFuture<Recovery> recover(String userId, long since, String epoch) {
        return CompletableFuture.completedFuture(new Recovery(false, List.of(), position(userId).join()));
    }

    @Override
    public CompletableFuture<StreamPosition> position(String userId) {
        AtomicLong seq = seqs.get(userId);
        return CompletableFuture.completedFuture(new StreamPosition(seq == null ? 0 : seq.get(), "fake-epoch"));
    }

    @Override
    public CompletableFuture<Void> subscribe(String userId) {
        subscriptions.add("+" + userId);
        if (subscribeFails) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("subscribe switched off"));
        }
        if (subscribeSlow) {
            CompletableFuture<Void> held = new CompletableFuture<>();
            heldSubscribes.add(held);
            return held;
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Lets every held subscribe complete. */
    public void completeSubscribes() {
        List<CompletableFuture<Void>> held;
        synchronized (heldSubscribes) {
            held = List.copyOf(heldSubscribes);
            heldSubscribes.clear();
        }
        held.forEach(f -> f.complete(null));
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String userId) {
        subscriptions.add("-" + userId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Integer> presence(String userId, int localConnections, long revision) {
        presenceReports.add(userId + "=" + localConnections + "@" + revision);
        if (!presenceSlow) {
            return CompletableFuture.completedFuture(localConnections);
        }
        CompletableFuture<Integer> held = new CompletableFuture<>();
        heldPresence.add(() -> held.complete(localConnections));
        return held;
    }

    /** Lets every held presence report complete. */
    public void completePresence() {
        List<Runnable> held;
        synchronized (heldPresence) {
            held = List.copyOf(heldPresence);
            heldPresence.clear();
        }
        held.forEach(Runnable::run);
    }

    @Override
    public CompletableFuture<Integer> connections(String userId, int localConnections) {
        return CompletableFuture.completedFuture(localConnections);
    }

    @Override
    public boolean routeReceipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
        routedReceipts.add(request.connectionId() + ":" + seq);
        return true;
    }

    @Override
    public CompletableFuture<ClusterCount> disconnect(String userId, int code, String reason) {
        return CompletableFuture.completedFuture(new ClusterCount(listener.onDisconnect(userId, code, reason), false));
    }

    @Override
    public void close() {
        listener = null;
    }
}
