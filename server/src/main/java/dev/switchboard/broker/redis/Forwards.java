package dev.switchboard.broker.redis;

import dev.switchboard.broker.BrokerListener;
import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.Clock;
import dev.switchboard.core.Forwarded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Requests forwarded between nodes, both ways ({@link dev.switchboard.broker.ClusterControl#forward}):
 * this node sends one to the node that holds its connection, on that node's channel, and waits for
 * the answer on its own; and it runs those other nodes send it, answering on theirs. Both go through
 * the home shard, like receipts.
 *
 * <p>Bounded: at most {@link #MAX_PENDING} forwarded requests wait at once, each until the timeout
 * ({@link #expire}, called by the broker's timer); past that a forward is refused at once with
 * {@link BrokerUnavailableException}, as is one that times out, one Redis did not take, one whose
 * node is alive but not listening now (reconnecting to Redis), and one the node could not run. A
 * node that is gone (nobody on its channel, and not in the registry's view of the live nodes) is
 * answered {@link Forwarded#notHeld()}. A request that timed out may still have run there.
 * Thread-safe; nothing blocks.
 */
final class Forwards {
    private static final Logger log = LoggerFactory.getLogger(Forwards.class);
    /** Forwarded requests waiting at once, at most. */
    static final int MAX_PENDING = 10_000;

    private record Waiting(CompletableFuture<Forwarded> answer, long deadline) {
    }

    private final String nodeId;
    private final Clock clock;
    private final long timeoutNanos;
    private final Supplier<Link> home;
    private final Predicate<String> mayBeLive;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Waiting> waiting = new ConcurrentHashMap<>();

    /** @param mayBeLive whether a node may be alive (it is in the registry's view, or there is no view) */
    Forwards(String nodeId, Clock clock, long timeoutNanos, Supplier<Link> home, Predicate<String> mayBeLive) {
        this.nodeId = nodeId;
        this.clock = clock;
        this.timeoutNanos = timeoutNanos;
        this.home = home;
        this.mayBeLive = mayBeLive;
    }

    /** Sends a request to {@code node}, which holds {@code connectionId}; completes with its answer. */
    CompletableFuture<Forwarded> send(String node, String connectionId, String userId, byte[] request) {
        if (waiting.size() >= MAX_PENDING) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException(
                    "too many forwarded requests are waiting for other nodes; this one was not sent"));
        }
        long id = ids.incrementAndGet();
        CompletableFuture<Forwarded> answer = new CompletableFuture<>();
        waiting.put(id, new Waiting(answer, clock.nanoTime() + timeoutNanos));
        home.get().publish(RedisKeys.nodeChannel(node), ClusterWire.forward(id, nodeId, connectionId, userId, request))
                .whenComplete((receivers, error) -> {
                    if (error != null) {
                        fail(id, RedisErrors.translate(error));
                    } else if (receivers == 0 && mayBeLive.test(node)) {
                        fail(id, new BrokerUnavailableException("the node that holds this connection is not listening now"));
                    } else if (receivers == 0) {
                        answered(id, Forwarded.notHeld()); // the node is gone, and its connections with it
                    }
                });
        return answer;
    }

    /** The answer to request {@code id} came back. Answers to unknown (timed-out) ids are dropped. */
    void answered(long id, Forwarded answer) {
        if (answer.status() == Forwarded.FAILED) {
            fail(id, new BrokerUnavailableException("the node that holds this connection could not run the request"));
            return;
        }
        Waiting w = waiting.remove(id);
        if (w != null) {
            w.answer().complete(answer);
        }
    }

    private void fail(long id, Throwable error) {
        Waiting w = waiting.remove(id);
        if (w != null) {
            w.answer().completeExceptionally(error);
        }
    }

    /** Fails the requests whose node did not answer in time. */
    void expire() {
        long now = clock.nanoTime();
        waiting.forEach((id, w) -> {
            if (now - w.deadline() >= 0 && waiting.remove(id, w)) {
                w.answer().completeExceptionally(new BrokerUnavailableException(
                        "the node that holds this connection did not answer in time"));
            }
        });
    }

    /** Fails every request still waiting (the broker is closing). */
    void close() {
        waiting.forEach((id, w) -> fail(id, new BrokerUnavailableException("the node is shutting down")));
    }

    /** Requests waiting for an answer (for tests). */
    int size() {
        return waiting.size();
    }

    /** Runs a request another node forwarded here, and sends its answer back, once. */
    void received(ClusterWire.Forward request, BrokerListener target) {
        AtomicBoolean once = new AtomicBoolean();
        Consumer<Forwarded> reply = answer -> {
            if (once.compareAndSet(false, true)) {
                home.get().publish(RedisKeys.nodeChannel(request.origin()), ClusterWire.forwardAnswer(
                        request.requestId(), answer == null ? Forwarded.notHeld() : answer));
            }
        };
        try {
            target.onForwarded(request.connectionId(), request.userId(), request.request(), reply);
        } catch (RuntimeException e) {
            log.warn("could not run a request forwarded by node {}", request.origin(), e);
            reply.accept(Forwarded.failed());
        }
    }
}
