package dev.switchboard.broker.memory;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerListener;
import dev.switchboard.broker.ClusterControl;
import dev.switchboard.broker.PresenceStore;
import dev.switchboard.core.Clock;
import dev.switchboard.core.ClusterCount;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.IdempotencyKeyReusedException;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.Scheduler;
import dev.switchboard.core.StreamPosition;
import dev.switchboard.history.HistoryOptions;
import dev.switchboard.history.MemoryHistory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node broker: streams and history in memory ({@link MemoryHistory}), and each
 * publication handed straight to this node's listener on the publishing thread, inside the user's
 * stream lock — so a user's publications are delivered in seq order. It delivers through the same
 * {@link BrokerListener} callback a distributed broker uses, so a single node runs the same
 * delivery code as a cluster.
 *
 * <p>With one node there is nobody else to tell: presence and connection counts are the caller's
 * own, receipts never leave the node, and a disconnect reaches this node's listener only.
 *
 * <p>History lives as long as the process: a restart starts every stream in a new epoch. Streams
 * of subscribed users are never swept; others go after the history TTL without publications,
 * counted from the later of the last publication and the last connection leaving.
 * Thread-safe.
 */
public final class MemoryBroker implements Broker, PresenceStore, ClusterControl {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** How often expired history is swept, at most. */
    private static final Duration MAX_SWEEP_PERIOD = Duration.ofSeconds(30);

    private final MemoryHistory history;
    private final Scheduler scheduler;
    private final Duration sweepPeriod;
    private final ConcurrentHashMap<String, Integer> subscriptions = new ConcurrentHashMap<>();
    private volatile BrokerListener listener;
    private volatile Scheduler.Cancellable sweeper;

    /**
     * @param historySize publications kept per user
     * @param historyTtl how long a publication stays recoverable
     */
    public MemoryBroker(Clock clock, Scheduler scheduler, int historySize, Duration historyTtl) {
        this(clock, scheduler, new HistoryOptions(historySize, historyTtl), 64 * 1024);
    }

    /** @param maxMessageBytes the largest message the history must be able to keep */
    public MemoryBroker(Clock clock, Scheduler scheduler, HistoryOptions options, int maxMessageBytes) {
        this.history = new MemoryHistory(clock, options, maxMessageBytes, subscriptions::containsKey);
        this.scheduler = scheduler;
        Duration quarter = options.ttl().dividedBy(4);
        this.sweepPeriod = quarter.compareTo(MAX_SWEEP_PERIOD) < 0 && !quarter.isZero() ? quarter : MAX_SWEEP_PERIOD;
    }

    /** The history, for its figures (bytes, budget, entries, streams, evictions). */
    public MemoryHistory history() {
        return history;
    }

    @Override
    public CompletableFuture<Void> start(BrokerListener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("already started");
        }
        this.listener = listener;
        sweeper = scheduler.scheduleAtFixedRate(this::sweep, sweepPeriod);
        return DONE;
    }

    @Override
    public CompletableFuture<PublishResult> publish(Publication publication, IdempotencyKey key) {
        BrokerListener target = listener;
        if (target == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker not started"));
        }
        try {
            return CompletableFuture.completedFuture(history.publish(publication, key, target::onPublication));
        } catch (IdempotencyKeyReusedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Recovery> recover(String userId, long since, String epoch) {
        return CompletableFuture.completedFuture(history.recover(userId, since, epoch));
    }

    @Override
    public CompletableFuture<StreamPosition> position(String userId) {
        return CompletableFuture.completedFuture(history.position(userId));
    }

    @Override
    public CompletableFuture<Void> subscribe(String userId) {
        subscriptions.merge(userId, 1, Integer::sum);
        return DONE;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String userId) {
        // Before letting go: a sweep in between must not find the stream unheld and long idle.
        history.touch(userId);
        subscriptions.computeIfPresent(userId, (user, count) -> count <= 1 ? null : count - 1);
        return DONE;
    }

    @Override
    public CompletableFuture<Integer> presence(String userId, int localConnections, long revision) {
        return CompletableFuture.completedFuture(localConnections);
    }

    @Override
    public CompletableFuture<Integer> connections(String userId, int localConnections) {
        return CompletableFuture.completedFuture(localConnections);
    }

    @Override
    public boolean routeReceipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
        return false;
    }

    @Override
    public CompletableFuture<ClusterCount> disconnect(String userId, int code, String reason) {
        BrokerListener target = listener;
        if (target == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker not started"));
        }
        return CompletableFuture.completedFuture(new ClusterCount(target.onDisconnect(userId, code, reason), false));
    }

    /** Drops expired history and idle streams of unsubscribed users. */
    public int sweep() {
        return history.sweep(subscriptions::containsKey);
    }

    @Override
    public void close() {
        Scheduler.Cancellable task = sweeper;
        if (task != null) {
            task.cancel();
        }
        listener = null;
    }
}
