package dev.switchboard.broker.redis;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One link's publishes, batched: each publish is queued; the first one queued into an empty queue
 * schedules a flush, which takes everything queued until then and runs it as few
 * {@link RedisScripts#PUBLISH} scripts as it can — one per {@link #MAX_PER_SCRIPT} messages (on a
 * Redis Cluster, one per slot: a script's keys must share one) — written together with one flush
 * ({@link Link#dispatch}). So under load one script call and one round trip carry many messages,
 * which is what saves Redis work (measured: {@code bench/script-cost}); when idle a publish waits
 * for one hand-off only. Why by hand: Lettuce writes and flushes each command as it comes, unless
 * auto-flush is turned off for the whole connection (which would hold back every other command on
 * it); what it does offer — writing a collection of commands with one flush — is what this uses.
 * Several messages in one script call is ours: Redis has no batched {@code EVALSHA}.
 *
 * <p>Ordering: messages run in the order they were queued (a batch's script places them in order;
 * batches are written in order on one connection), so one thread's publishes keep their order.
 * Bound: the queue holds publishes that are waiting for their answer, which the broker bounds
 * ({@link PendingCounts#MAX_PENDING}); nothing else is queued. Failure: a batch that could not be
 * written fails each of its publishes with {@link dev.switchboard.core.BrokerUnavailableException};
 * a script Redis had lost is sent again as text; any other error fails the batch's publishes as it
 * came (some may have run). Thread-safe; {@link #publish} never blocks.
 */
final class PublishBatcher {
    /** Messages in one script call, at most: bounds how long one call holds Redis. */
    static final int MAX_PER_SCRIPT = 64;
    /** Publishes taken by one flush, at most; the rest wait for the next (scheduled at once). */
    static final int MAX_PER_FLUSH = 1024;

    private record Entry(String[] keys, byte[][] args, CompletableFuture<List<Object>> reply) {
    }

    private final Link link;
    private final Executor flusher;
    private final boolean bySlot;
    private final Supplier<byte[][]> shared;
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();

    /**
     * @param flusher runs the flushes (short, non-blocking tasks)
     * @param bySlot whether a script may hold only keys of one slot (a Redis Cluster)
     * @param shared the script's arguments common to every message (history size, TTLs, bytes,
     *     publish command, layout generation), read at each flush
     */
    PublishBatcher(Link link, Executor flusher, boolean bySlot, Supplier<byte[][]> shared) {
        this.link = link;
        this.flusher = flusher;
        this.bySlot = bySlot;
        this.shared = shared;
    }

    /**
     * Queues one message.
     *
     * @param keys the user's meta and stream[, the idempotency key]
     * @param args epoch if new, channel, body, fingerprint (empty: no idempotency key)
     * @return its reply: {seq, epoch, subscribers}, or the idempotency answer
     */
    CompletableFuture<List<Object>> publish(String[] keys, byte[]... args) {
        if (link.redis() == null) {
            return RedisErrors.unreachable();
        }
        CompletableFuture<List<Object>> reply = new CompletableFuture<>();
        queue.add(new Entry(keys, args, reply));
        if (flushing.compareAndSet(false, true)) {
            flusher.execute(this::flush);
        }
        return reply;
    }

    private void flush() {
        List<Entry> taken = new ArrayList<>();
        Entry next;
        while (taken.size() < MAX_PER_FLUSH && (next = queue.poll()) != null) {
            taken.add(next);
        }
        if (!taken.isEmpty()) {
            write(taken);
        }
        flushing.set(false);
        if (!queue.isEmpty() && flushing.compareAndSet(false, true)) {
            flusher.execute(this::flush);
        }
    }

    /** Runs {@code taken} as scripts of one slot (or any, off a Redis Cluster) and at most {@link #MAX_PER_SCRIPT} each. */
    private void write(List<Entry> taken) {
        Map<Integer, List<Entry>> bySlotGroups = new LinkedHashMap<>();
        for (Entry entry : taken) {
            bySlotGroups.computeIfAbsent(bySlot ? SlotHash.getSlot(entry.keys()[0]) : 0, slot -> new ArrayList<>())
                    .add(entry);
        }
        byte[][] common = shared.get();
        boolean cached = link.scriptsCached();
        List<RedisCommand<String, byte[], ?>> commands = new ArrayList<>();
        for (List<Entry> group : bySlotGroups.values()) {
            for (int from = 0; from < group.size(); from += MAX_PER_SCRIPT) {
                List<Entry> batch = group.subList(from, Math.min(group.size(), from + MAX_PER_SCRIPT));
                commands.add(script(batch, common, cached));
            }
        }
        if (!link.dispatch(commands)) {
            taken.forEach(entry -> entry.reply().completeExceptionally(
                    new dev.switchboard.core.BrokerUnavailableException("not connected to Redis")));
        }
    }

    /** One script for {@code batch}, which answers each of its publishes when it completes. */
    private AsyncCommand<String, byte[], List<Object>> script(List<Entry> batch, byte[][] common, boolean cached) {
        List<String> keys = new ArrayList<>();
        List<byte[]> args = new ArrayList<>(List.of(common));
        for (Entry entry : batch) {
            keys.addAll(List.of(entry.keys()));
            args.addAll(List.of(entry.args()));
        }
        String[] keyArray = keys.toArray(new String[0]);
        byte[][] argArray = args.toArray(new byte[0][]);
        AsyncCommand<String, byte[], List<Object>> command = RedisScripts.PUBLISH.command(cached, keyArray, argArray);
        command.whenComplete((replies, error) -> {
            if (error == null) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).reply().complete(castList(replies.get(i)));
                }
            } else if (cached && RedisScripts.Script.noScript(error)) {
                // Redis lost its scripts (a restart, a failover): this batch again, as text.
                link.scriptsLost();
                AsyncCommand<String, byte[], List<Object>> again = script(batch, common, false);
                if (!link.dispatch(List.of(again))) {
                    again.completeExceptionally(new io.lettuce.core.RedisException("Currently not connected."));
                }
            } else {
                Throwable failure = RedisErrors.translate(error);
                batch.forEach(entry -> entry.reply().completeExceptionally(failure));
            }
        });
        return command;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object reply) {
        return (List<Object>) reply;
    }
}
