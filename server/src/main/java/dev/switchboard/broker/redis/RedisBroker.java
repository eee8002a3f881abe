package dev.switchboard.broker.redis;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerListener;
import dev.switchboard.broker.ClusterControl;
import dev.switchboard.broker.PresenceStore;
import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.Clock;
import dev.switchboard.core.ClusterCount;
import dev.switchboard.core.Forwarded;
import dev.switchboard.core.NodeIds;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.IdempotencyKeyReusedException;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.Scheduler;
import dev.switchboard.core.StreamPosition;
import dev.switchboard.history.HistoryOptions;
import dev.switchboard.core.RedisAddress;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster broker: the nodes of a cluster share one Redis, a set of client-side shards, or a
 * Redis Cluster ({@link Shards}); each user's keys and channel live on one of them. Each user's
 * stream — next seq, epoch, history — lives in Redis ({@code sb:{user}:m}, a hash, and
 * {@code sb:{user}:h}, a stream capped at the history size and expiring after the history TTL); one
 * Lua script places a publication, keeps it and publishes it on the user's channel
 * ({@code sb:{user}:c}) atomically, so every node sees a user's publications in seq order, and a
 * client can recover on any node.
 *
 * <p>A node subscribes to a user's channel only while it holds a connection of that user. Each node
 * that receives a publication delivers it through its listener (the publishing node too: one
 * delivery path) and reports its count to the publishing node's channel (batched per publishing
 * node: {@link AckBatcher}); the publisher waits for
 * as many reports as Redis counted subscribers, at most the ack timeout, then answers with the sum
 * (partial if a node was late).
 *
 * <p>Presence: each node keeps its count of each user's connections in {@code sb:{user}:p} and
 * renews its lease in the node registry every second ({@link NodeRegistry}); counts of a node whose
 * lease expired are ignored and dropped, so a killed node stops counting within seconds.
 *
 * <p>The cluster-wide state — the node registry and the nodes' channels, which carry the counts
 * and receipts — lives on the home ({@link Shards#home()}): the broker is {@link #ready} while the
 * home is. A user's publish, recovery, subscription and presence touch only the user's own shard, so
 * a shard that fails affects only its users: their requests fail fast with
 * {@link BrokerUnavailableException}. Failures: see {@link Link}. After a link's subscriptions come
 * back from a failure, the broker checks every user this node holds there ({@link Inbound}).
 * Thread-safe; nothing blocks but {@link #close}.
 */
public final class RedisBroker implements Broker, ClusterControl {
    /** How long a user's seq and epoch live after their last publication. */
    static final Duration META_TTL = Duration.ofDays(1);

    /** How much longer than the ack timeout a forwarded request may take to be answered. */
    static final Duration FORWARD_GRACE = Duration.ofSeconds(2);

    private final String nodeId;
    private final Clock clock;
    private final Scheduler scheduler;
    private final int historySize;
    private final long historyTtlMillis;
    private final Duration ackTimeout;
    private final Shards shards;
    private final ShardLayout layout;
    private final NodeRegistry registry;
    private final PendingCounts pending;
    private final Forwards forwards;
    /** Each link's publish batcher, by the link's index in {@link Shards#all()}. */
    private final PublishBatcher[] batchers;
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
    private static final byte[] EMPTY = new byte[0];

    /**
     * @param uri what {@code --redis} names ({@link RedisAddress}): a Lettuce Redis URI
     *     ({@code redis://}, {@code rediss://}, {@code redis-sentinel://}), several (shards), or
     *     {@code redis-cluster://host:port[,host:port…]}
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
        Inbound[] inbound = new Inbound[1];
        RedisAddress address = RedisAddress.parse(uri);
        this.shards = Shards.of(address, clock, RedisKeys.nodeChannel(nodeId),
                index -> Inbound.handler(() -> inbound[0], index));
        this.layout = new ShardLayout(shards, address);
        List<Link> links = shards.all();
        this.batchers = new PublishBatcher[links.size()];
        for (int i = 0; i < batchers.length; i++) {
            Link link = links.get(i);
            batchers[i] = new PublishBatcher(link, shards.flusher(), shards.bySlot(), () -> new byte[][] {
                    historySizeArg, historyTtlArg, metaTtlArg, historyBytesArg, link.publishCommand(),
                    layout.agreed() ? layout.generation() : EMPTY});
        }
        this.registry = new NodeRegistry(shards, nodeId, clock, this::recordPresenceAgain);
        this.history = new RedisHistory(shards, layout, clock, historySize, historyTtlMillis, META_TTL.toMillis());
        this.subscriptions = new UserSubscriptions(shards, this::position);
        this.presence = new RedisPresence(shards, registry, nodeId, subscriptions);
        this.acks = new AckBatcher((node, frame) -> shards.home().publish(RedisKeys.nodeChannel(node), frame));
        // A forwarded send runs a whole publish there, counts included (up to ackTimeout), and two hops.
        this.forwards = new Forwards(nodeId, clock, ackTimeout.plus(FORWARD_GRACE).toNanos(), shards::home,
                registry::mayBeLive);
        inbound[0] = new Inbound(nodeId, () -> listener, shards, subscriptions, pending, presence, this::report,
                this::position, forwards);
    }

    @Override
    public CompletableFuture<Void> start(BrokerListener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("already started");
        }
        this.listener = listener;
        tasks.add(scheduler.scheduleAtFixedRate(this::heartbeat, Duration.ofSeconds(1)));
        Duration sweep = ackTimeout.dividedBy(5);
        Duration every = sweep.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : sweep;
        tasks.add(scheduler.scheduleAtFixedRate(pending::expire, every));
        tasks.add(scheduler.scheduleAtFixedRate(forwards::expire, every));
        List<Link> links = shards.all();
        CompletableFuture<Void> home = links.get(0).connect();
        List<CompletableFuture<Void>> others = new ArrayList<>();
        links.subList(1, links.size()).forEach(link -> others.add(link.connect().handle((ok, error) -> null)));
        // Joined once the home answers and every other shard was tried: a shard that failed joins when
        // it comes (its users are answered unavailable until then).
        return home.thenCompose(ignored -> join())
                .thenCompose(ignored -> CompletableFuture.allOf(others.toArray(new CompletableFuture[0])));
    }

    /**
     * Whether the home (the node registry and the nodes' channels) is reachable and its subscription
     * answers, and this node agrees with the others on the shards' layout.
     */
    @Override
    public boolean ready() {
        return layout.agreed() && shards.home().ready();
    }

    private void heartbeat() {
        shards.all().forEach(Link::tick);
        join();
    }

    /** Agrees on the shards' layout if not yet, then renews this node's lease (only once it agrees). */
    private CompletableFuture<Void> join() {
        return layout.agree().thenCompose(ignored -> layout.agreed() ? registry.renew()
                : CompletableFuture.completedFuture(null));
    }

    @Override
    public CompletableFuture<PublishResult> publish(Publication publication, IdempotencyKey key) {
        String user = publication.userId();
        RedisClusterAsyncCommands<String, byte[]> redis = shards.of(user).redis();
        if (redis == null || listener == null || !layout.agreed()) {
            return RedisErrors.unreachable();
        }
        Publication stamped = publication.at(0, null, clock.currentTimeMillis());
        CompletableFuture<ClusterCount> counted = new CompletableFuture<>();
        long requestId = pending.open(counted);
        if (requestId < 0) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException(
                    "too many sends are waiting for the other nodes' counts; nothing was sent"));
        }
        byte[] body = ClusterWire.body(stamped, requestId, nodeId);
        String idempotencyKey = key == null ? null : RedisKeys.idempotency(user, key.storeName(), shards.single());
        byte[] fingerprint = key == null ? null : ascii(Long.toHexString(IdempotencyKey.fingerprint(publication)));
        String[] keys = key == null ? new String[] {RedisKeys.meta(user), RedisKeys.stream(user)}
                : new String[] {RedisKeys.meta(user), RedisKeys.stream(user), idempotencyKey};
        byte[] channel = RedisKeys.channel(user).getBytes(StandardCharsets.UTF_8);
        CompletableFuture<List<Object>> placed = batchers[shards.indexOf(user)].publish(keys, ascii(newEpoch()),
                channel, body, fingerprint == null ? EMPTY : fingerprint);
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
        Link home = shards.home();
        if (node == null || node.equals(nodeId) || home.redis() == null) {
            return false;
        }
        home.publish(RedisKeys.nodeChannel(node), ClusterWire.receipt(request, to, seq, recipientConnectionId));
        return true;
    }

    @Override
    public CompletableFuture<Forwarded> forward(String connectionId, String userId, byte[] request) {
        String node = NodeIds.nodeOf(connectionId);
        if (node == null || node.equals(nodeId)) {
            return CompletableFuture.completedFuture(null);
        }
        return forwards.send(node, connectionId, userId, request);
    }

    @Override
    public CompletableFuture<ClusterCount> disconnect(String userId, int code, String reason) {
        Link link = shards.of(userId);
        if (link.redis() == null) {
            return RedisErrors.unreachable();
        }
        CompletableFuture<ClusterCount> counted = new CompletableFuture<>();
        long requestId = pending.open(counted);
        if (requestId < 0) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException(
                    "too many requests are waiting for the other nodes' counts; nothing was sent"));
        }
        link.publish(RedisKeys.channel(userId), ClusterWire.disconnect(requestId, nodeId, code, reason))
                .whenComplete((subscribers, error) -> {
                    if (error != null) {
                        pending.fail(requestId, RedisErrors.translate(error));
                    } else {
                        pending.expect(requestId, subscribers.intValue());
                    }
                });
        return counted;
    }

    @Override
    public void close() {
        tasks.forEach(Scheduler.Cancellable::cancel);
        registry.leave();
        forwards.close();
        acks.close();
        shards.close();
        listener = null;
    }

    /** Records this node's count of every user it holds again (after the registry lost this node). */
    private void recordPresenceAgain() {
        subscriptions.forEach((user, local) -> presence.record(user, local.connections(), local.revision(), false));
    }

    /** Reports a count to the node that asked, or straight to the pending request if it was this node. */
    private void report(String origin, long requestId, int count) {
        if (nodeId.equals(origin)) {
            pending.report(requestId, count);
            return;
        }
        acks.report(origin, requestId, count);
    }

    private static String newEpoch() {
        return RedisHistory.newEpoch();
    }

    private static byte[] ascii(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
