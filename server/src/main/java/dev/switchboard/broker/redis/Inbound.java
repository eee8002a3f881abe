package dev.switchboard.broker.redis;

import dev.switchboard.broker.BrokerListener;
import dev.switchboard.core.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What arrives on a node's subscriptions, handed to its {@link BrokerListener}: publications and
 * disconnects on users' channels (each node that receives one reports its count to the node that
 * asked), presence totals, and on the node's own channel the counts other nodes report, receipts,
 * and requests forwarded to it and the answers to those it forwarded.
 * After a link's subscriptions come back from a failure, it checks every user this node holds on
 * that link and reports those whose stream moved while it was away, or was reset, in one
 * {@link BrokerListener#onMissed} call per outage. Called on Lettuce's threads; never blocks.
 */
final class Inbound {
    private static final Logger log = LoggerFactory.getLogger(Inbound.class);

    /** Where a node's count for a request goes: (origin node, request id, count). */
    interface Reporter {
        void report(String origin, long requestId, int count);
    }

    private final String nodeId;
    private final Supplier<BrokerListener> listener;
    private final Shards shards;
    private final UserSubscriptions subscriptions;
    private final PendingCounts pending;
    private final RedisPresence presence;
    private final Reporter reporter;
    private final Function<String, CompletableFuture<StreamPosition>> position;
    private final Forwards forwards;

    Inbound(String nodeId, Supplier<BrokerListener> listener, Shards shards, UserSubscriptions subscriptions,
            PendingCounts pending, RedisPresence presence, Reporter reporter,
            Function<String, CompletableFuture<StreamPosition>> position, Forwards forwards) {
        this.nodeId = nodeId;
        this.listener = listener;
        this.shards = shards;
        this.subscriptions = subscriptions;
        this.pending = pending;
        this.presence = presence;
        this.reporter = reporter;
        this.position = position;
        this.forwards = forwards;
    }

    /**
     * The handler of the link at {@code index} in {@link Shards#all()}, for the {@code Inbound} that
     * {@code inbound} will supply once it is made (the links are made first; nothing arrives before
     * they connect).
     */
    static Link.Handler handler(Supplier<Inbound> inbound, int index) {
        return new Link.Handler() {
            @Override
            public void onMessage(String channel, byte[] message) {
                inbound.get().onMessage(channel, message);
            }

            @Override
            public void onResubscribed() {
                inbound.get().check(index);
            }
        };
    }

    private void onMessage(String channel, byte[] message) {
        BrokerListener target = listener.get();
        if (target == null || message.length == 0) {
            return;
        }
        try {
            dispatch(target, channel, ByteBuffer.wrap(message));
        } catch (RuntimeException e) {
            log.warn("dropped a malformed frame on {}", channel, e);
        }
    }

    private void dispatch(BrokerListener target, String channel, ByteBuffer in) {
        byte type = in.get();
        switch (type) {
            case ClusterWire.PUBLICATION -> {
                long seq = Long.parseLong(ClusterWire.asciiField(in));
                String epoch = ClusterWire.asciiField(in);
                String user = RedisKeys.userOfChannel(channel);
                ClusterWire.Body body = ClusterWire.parseBody(user, seq, epoch, in);
                subscriptions.seen(user, seq, epoch);
                reporter.report(body.origin(), body.requestId(), target.onPublication(body.publication()));
            }
            case ClusterWire.PRESENCE -> {
                int total = Integer.parseInt(ClusterWire.asciiField(in));
                if (!nodeId.equals(ClusterWire.asciiRest(in))) {
                    target.onPresence(RedisKeys.userOfChannel(channel), total);
                }
            }
            case ClusterWire.DISCONNECT -> {
                ClusterWire.Disconnect d = ClusterWire.parseDisconnect(in);
                reporter.report(d.origin(), d.requestId(),
                        target.onDisconnect(RedisKeys.userOfChannel(channel), d.code(), d.reason()));
            }
            case ClusterWire.ACK -> {
                while (in.remaining() >= AckBatcher.REPORT_BYTES) {
                    pending.report(in.getLong(), in.getInt());
                }
            }
            case ClusterWire.RECEIPT -> {
                ClusterWire.Receipt r = ClusterWire.parseReceipt(in);
                target.onReceipt(r.request(), r.to(), r.seq(), r.recipientConnectionId());
            }
            case ClusterWire.FORWARD -> forwards.received(ClusterWire.parseForward(in), target);
            case ClusterWire.FORWARD_ANSWER -> {
                ClusterWire.ForwardAnswer a = ClusterWire.parseForwardAnswer(in);
                forwards.answered(a.requestId(), a.answer());
            }
            default -> log.warn("dropped a frame of unknown type {} on {}", type, channel);
        }
    }

    /** The link's subscriptions are back: restores this node's counts there and finds what its users missed. */
    private void check(int index) {
        Map<String, Long> missed = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        subscriptions.forEach((user, local) -> {
            if (shards.indexOf(user) != index) {
                return;
            }
            presence.record(user, local.connections(), local.revision(), false);
            checks.add(position.apply(user).thenAccept(now -> {
                long count = subscriptions.missed(user, now);
                if (count >= 0) {
                    missed.put(user, count);
                }
            }).exceptionally(error -> {
                log.debug("could not check a user's stream after an outage", error);
                return null;
            }));
        });
        log.info("Redis subscriptions are back; checking {} users for missed messages", checks.size());
        CompletableFuture.allOf(checks.toArray(new CompletableFuture[0])).thenRun(() -> {
            BrokerListener target = listener.get();
            if (target != null && !missed.isEmpty()) {
                target.onMissed(missed);
            }
        });
    }
}
