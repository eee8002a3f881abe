package dev.switchboard.broker.redis;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerListener;
import dev.switchboard.broker.ClusterControl;
import dev.switchboard.broker.PresenceStore;
import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.Clock;
import dev.switchboard.core.ClusterCount;
import dev.switchboard.core.NodeIds;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.IdempotencyKeyReusedException;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.Scheduler;
import dev.switchboard.core.StreamPosition;
import dev.switchboard.history.HistoryOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster broker: every node of a cluster shares one Redis. Each user's stream — next seq,
 * epoch, history — lives in Redis ({@code sb:{user}:m}, a hash, and {@code sb:{user}:h}, a stream
 * capped at the history size and expiring after the history TTL); one Lua script places a
 * publication, keeps it and publishes it on the user's channel ({@code sb:{user}:c}) atomically, so
 * every node sees a user's publications in seq order, and a client can recover on any node.
 *
 * <p>A node subscribes to a user's channel only while it holds a connection of that user. Each node
 * that receives a publication delivers it through its listener (the publishing node too: one
 * delivery path) and reports its count to the publishing node's channel (batched per publishing
 * node: {@link AckBatcher}); the publisher waits for
 * as many reports as Redis counted subscribers, at most the ack timeout, then answers with the sum
 * (partial if a node was late).
 *
 * <p>Presence: each node keeps its count of each user's connections in {@code sb:{user}:p} and
 * refreshes its liveness key {@code sb:node:<id>} every second (TTL {@link #NODE_TTL}); counts of a
 * node whose key expired are ignored and dropped, so a killed node stops counting within seconds.
 *
 * <p>Failures: see {@link RedisLink}. After the subscriptions come back from a failure, the broker
 * checks every user this node holds and reports those whose stream moved while it was away, or was
 * reset, in one {@link BrokerListener#onMissed} call per outage. Thread-safe; nothing blocks.
 */
public final class RedisBroker implements Broker, ClusterControl {
    /** How long a node's counts stay valid after its last heartbeat. */
    static final Duration NODE_TTL = Duration.ofSeconds(5);
    /** How long a user's seq and epoch live after their last publication. */
    static final Duration META_TTL = Duration.ofDays(1);
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final byte[] EMPTY = new byte[0];

    private final String nodeId;
    private final Clock clock;
    private final Scheduler scheduler;
    private final int historySize;
    private final long historyTtlMillis;
    private final Duration ackTimeout;
    private final RedisLink link;
    private final PendingCounts pending;
    private final UserSubscriptions subscriptions;
    private final RedisPresence presence;
    private final AckBatcher acks;
    private final RedisHistory history;
    private volatile BrokerListener listener;
    private final List<Scheduler.Cancellable> tasks = new ArrayList<>();
    /** The scripts' constant arguments, encoded once. */
    private final byte[] historySizeArg;
    private final byte[] historyTtlArg;
    private final byte[] historyBytesArg;
    private final byte[] metaTtlArg = ascii(META_TTL.toMillis());

    /**
     * @param uri a Lettuce Redis URI ({@code redis://}, {@code rediss://}, {@code redis-sentinel://})
     * @param ackTimeout how long a publisher waits for the other nodes' counts
     */
    public RedisBroker(String uri, String nodeId, Clock clock, Scheduler scheduler, int historySize,
                       Duration historyTtl, Duration ackTimeout) {
        this(uri, nodeId, clock, scheduler, new HistoryOptions(historySize, historyTtl), ackTimeout);
    }

    /**
     * @param history how much of each user's stream Redis keeps (its global budget does not apply:
     *     Redis's own {@code maxmemory} bounds it)
     */
    public RedisBroker(String uri, String nodeId, Clock clock, Scheduler scheduler, HistoryOptions history,
                       Duration ackTimeout) {
        this.nodeId = NodeIds.requireValid(nodeId);
        this.clock = clock;
        this.scheduler = scheduler;
        int historySize = history.size();
        this.historySize = historySize;
        this.historyTtlMillis = history.ttl().toMillis();
        this.historySizeArg = ascii(historySize);
        this.historyTtlArg = ascii(historyTtlMillis);
        this.historyBytesArg = ascii(history.maxBytesPerUser());
        this.ackTimeout = ackTimeout;
        this.pending = new PendingCounts(clock, ackTimeout.toNanos());
        this.link = new RedisLink(RedisURI.create(uri), clock, RedisKeys.nodeChannel(nodeId), new Inbound());
        this.history = new RedisHistory(link, clock, historySize, historyTtlMillis, META_TTL.toMillis());
        this.subscriptions = new UserSubscriptions(link, this::position);
        this.presence = new RedisPresence(link, nodeId, subscriptions);
        this.acks = new AckBatcher((node, frame) -> {
            RedisAsyncCommands<String, byte[]> redis = link.redis();
            if (redis != null) {
                redis.publish(RedisKeys.nodeChannel(node), frame);
            }
        });
    }

    @Override
    public CompletableFuture<Void> start(BrokerListener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("already started");
        }
        this.listener = listener;
        tasks.add(scheduler.scheduleAtFixedRate(this::heartbeat, Duration.ofSeconds(1)));
        Duration sweep = ackTimeout.dividedBy(5);
        tasks.add(scheduler.scheduleAtFixedRate(pending::expire,
                sweep.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : sweep));
        return link.connect().thenCompose(ignored -> heartbeatNow());
    }

    @Override
    public boolean ready() {
        return link.ready();
    }

    private void heartbeat() {
        link.tick();
        heartbeatNow();
    }

    private CompletableFuture<Void> heartbeatNow() {
        RedisAsyncCommands<String, byte[]> redis = link.redis();
        if (redis == null) {
            return CompletableFuture.completedFuture(null);
        }
        return redis.psetex(RedisKeys.alive(nodeId), NODE_TTL.toMillis(), EMPTY).toCompletableFuture()
                .handle((ok, error) -> null);
    }

    @Override
    public CompletableFuture<PublishResult> publish(Publication publication, IdempotencyKey key) {
        RedisAsyncCommands<String, byte[]> redis = link.redis();
        if (redis == null || listener == null) {
            return RedisLink.unreachable();
        }
        String user = publication.userId();
        Publication stamped = publication.at(0, null, clock.currentTimeMillis());
        CompletableFuture<ClusterCount> counted = new CompletableFuture<>();
        long requestId = pending.open(counted);
        if (requestId < 0) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException(
                    "too many sends are waiting for the other nodes' counts; nothing was sent"));
        }
        byte[] body = ClusterWire.body(stamped, requestId, nodeId);
        String idempotencyKey = key == null ? null : RedisKeys.idempotency(key.storeName());
        byte[] fingerprint = key == null ? null : ascii(Long.toHexString(IdempotencyKey.fingerprint(publication)));
        String[] keys = key == null ? new String[] {RedisKeys.meta(user), RedisKeys.stream(user)}
                : new String[] {RedisKeys.meta(user), RedisKeys.stream(user), idempotencyKey};
        byte[] channel = RedisKeys.channel(user).getBytes(StandardCharsets.UTF_8);
        CompletableFuture<List<Object>> placed = key == null
                ? RedisScripts.PUBLISH.run(link, ScriptOutputType.MULTI, keys, ascii(newEpoch()), historySizeArg,
                        historyTtlArg, metaTtlArg, channel, body, historyBytesArg)
                : RedisScripts.PUBLISH.run(link, ScriptOutputType.MULTI, keys, ascii(newEpoch()), historySizeArg,
                        historyTtlArg, metaTtlArg, channel, body, historyBytesArg, fingerprint);
        return placed.thenCompose(reply -> {
            if (reply.get(0) instanceof byte[] verdict) {
                pending.expect(requestId, 0); // nothing was published: no count will come
                return CompletableFuture.completedFuture(repeated(verdict, reply));
            }
            long seq = (Long) reply.get(0);
            String epoch = new String((byte[]) reply.get(1), StandardCharsets.US_ASCII);
            pending.expect(requestId, ((Long) reply.get(2)).intValue());
            return counted.thenCompose(count -> {
                PublishResult result = new PublishResult(count.count(), seq, epoch, count.partial());
                if (key == null) {
                    return CompletableFuture.completedFuture(result);
                }
                // Repeats of the key get this count too, recorded before the sender hears of it (so a
                // retry it makes through another node finds it); until then they say partial.
                return redis.set(idempotencyKey, ascii(new String(fingerprint, StandardCharsets.US_ASCII) + "|" + seq
                                + "|" + epoch + "|" + count.count()), SetArgs.Builder.xx().keepttl())
                        .toCompletableFuture().handle((ok, error) -> result);
            });
        }).whenComplete((result, error) -> {
            if (error != null) {
                pending.fail(requestId, error);
            }
        });
    }

    /** The answer to a repeated idempotency key: the first publish's, or a refusal if it was for something else. */
    private static PublishResult repeated(byte[] verdict, List<Object> reply) {
        if (!"duplicate".equals(new String(verdict, StandardCharsets.US_ASCII))) {
            throw new IdempotencyKeyReusedException();
        }
        long seq = (Long) reply.get(1);
        String epoch = new String((byte[]) reply.get(2), StandardCharsets.US_ASCII);
        String count = new String((byte[]) reply.get(3), StandardCharsets.US_ASCII);
        return count.isEmpty() ? new PublishResult(0, seq, epoch, true, true)
                : new PublishResult(Integer.parseInt(count), seq, epoch, false, true);
    }

    @Override
    public CompletableFuture<Recovery> recover(String userId, long since, String epoch) {
        return history.recover(userId, since, epoch);
    }

    @Override
    public CompletableFuture<StreamPosition> position(String userId) {
        return history.position(userId);
    }

    @Override
    public CompletableFuture<Void> subscribe(String userId) {
        return subscriptions.subscribe(userId);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String userId) {
        return subscriptions.unsubscribe(userId);
    }

    /** The cluster's presence store, on this broker's connection to Redis. */
    public PresenceStore presence() {
        return presence;
    }

    @Override
    public boolean routeReceipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
        String node = NodeIds.nodeOf(request.connectionId());
        RedisAsyncCommands<String, byte[]> redis = link.redis();
        if (node == null || node.equals(nodeId) || redis == null) {
            return false;
        }
        redis.publish(RedisKeys.nodeChannel(node), ClusterWire.receipt(request, to, seq, recipientConnectionId));
        return true;
    }

    @Override
    public CompletableFuture<ClusterCount> disconnect(String userId, int code, String reason) {
        RedisAsyncCommands<String, byte[]> redis = link.redis();
        if (redis == null) {
            return RedisLink.unreachable();
        }
        CompletableFuture<ClusterCount> counted = new CompletableFuture<>();
        long requestId = pending.open(counted);
        if (requestId < 0) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException(
                    "too many requests are waiting for the other nodes' counts; nothing was sent"));
        }
        redis.publish(RedisKeys.channel(userId), ClusterWire.disconnect(requestId, nodeId, code, reason))
                .whenComplete((subscribers, error) -> {
                    if (error != null) {
                        pending.fail(requestId, RedisLink.translate(error));
                    } else {
                        pending.expect(requestId, subscribers.intValue());
                    }
                });
        return counted;
    }

    @Override
    public void close() {
        tasks.forEach(Scheduler.Cancellable::cancel);
        RedisAsyncCommands<String, byte[]> redis = link.redis();
        if (redis != null) {
            try {
                redis.del(RedisKeys.alive(nodeId)).get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("could not remove the liveness key", e);
            }
        }
        acks.close();
        link.close();
        listener = null;
    }

    /** Reports a count to the node that asked, or straight to the pending request if it was this node. */
    private void report(String origin, long requestId, int count) {
        if (nodeId.equals(origin)) {
            pending.report(requestId, count);
            return;
        }
        acks.report(origin, requestId, count);
    }

    /** What arrives on this node's subscriptions. */
    private final class Inbound implements RedisLink.Handler {
        @Override
        public void onMessage(String channel, byte[] message) {
            BrokerListener target = listener;
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
                    report(body.origin(), body.requestId(), target.onPublication(body.publication()));
                }
                case ClusterWire.PRESENCE -> {
                    int total = Integer.parseInt(ClusterWire.asciiField(in));
                    if (!nodeId.equals(ClusterWire.asciiRest(in))) {
                        target.onPresence(RedisKeys.userOfChannel(channel), total);
                    }
                }
                case ClusterWire.DISCONNECT -> {
                    ClusterWire.Disconnect d = ClusterWire.parseDisconnect(in);
                    report(d.origin(), d.requestId(),
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
                default -> log.warn("dropped a frame of unknown type {} on {}", type, channel);
            }
        }

        @Override
        public void onResubscribed() {
            log.info("Redis subscriptions are back; checking {} users for missed messages", subscriptions.size());
            Map<String, Long> missed = new ConcurrentHashMap<>();
            List<CompletableFuture<Void>> checks = new ArrayList<>();
            subscriptions.forEach((user, local) -> {
                presence.record(user, local.connections(), local.revision(), false);
                checks.add(position(user).thenAccept(position -> {
                    long count = subscriptions.missed(user, position);
                    if (count >= 0) {
                        missed.put(user, count);
                    }
                }).exceptionally(error -> {
                    log.debug("could not check a user's stream after an outage", error);
                    return null;
                }));
            });
            CompletableFuture.allOf(checks.toArray(new CompletableFuture[0])).thenRun(() -> {
                BrokerListener target = listener;
                if (target != null && !missed.isEmpty()) {
                    target.onMissed(missed);
                }
            });
        }
    }

    private static String newEpoch() {
        return RedisHistory.newEpoch();
    }

    private static byte[] ascii(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
