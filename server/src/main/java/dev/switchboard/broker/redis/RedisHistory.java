package dev.switchboard.broker.redis;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Publication;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;
import io.lettuce.core.ScriptOutputType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads users' streams in Redis (each on its user's shard or slot): a stream's position, and what a resuming client missed (one
 * {@link RedisScripts#RECOVER} script each, so the position and the entries agree).
 *
 * <p>Threading: any thread; stateless but for its settings. Failures: the futures fail with
 * {@link dev.switchboard.core.BrokerUnavailableException} when Redis cannot be reached.
 */
final class RedisHistory {
    private final Shards shards;
    private final ShardLayout layout;
    private final Clock clock;
    private final long historyTtlMillis;
    private final byte[] historySizeArg;
    private final byte[] metaTtlArg;

    RedisHistory(Shards shards, ShardLayout layout, Clock clock, int historySize, long historyTtlMillis, long metaTtlMillis) {
        this.shards = shards;
        this.layout = layout;
        this.clock = clock;
        this.historyTtlMillis = historyTtlMillis;
        this.historySizeArg = ascii(historySize);
        this.metaTtlArg = ascii(metaTtlMillis);
    }

    CompletableFuture<Recovery> recover(String userId, long since, String epoch) {
        return stream(userId, epoch == null ? "" : epoch, since).thenApply(reply -> {
            long seq = (Long) reply.get(0);
            String current = new String((byte[]) reply.get(1), StandardCharsets.US_ASCII);
            StreamPosition position = new StreamPosition(seq, current);
            long oldest = clock.currentTimeMillis() - historyTtlMillis;
            if (!current.equals(epoch)) {
                // The client has seen nothing of this epoch: what history still holds of it follows.
                List<Publication> held = new ArrayList<>();
                for (int i = 2; i + 1 < reply.size(); i += 2) {
                    Publication p = entry(userId, current, reply, i);
                    if (p.timestampMillis() >= oldest) {
                        held.add(p);
                    }
                }
                return new Recovery(false, held, position);
            }
            if (since > seq) {
                return new Recovery(false, List.of(), position);
            }
            List<Publication> missed = new ArrayList<>();
            long expected = since + 1;
            for (int i = 2; i + 1 < reply.size(); i += 2) {
                Publication p = entry(userId, current, reply, i);
                if (p.seq() != expected || p.timestampMillis() < oldest) {
                    return new Recovery(false, List.of(), position);
                }
                missed.add(p);
                expected++;
            }
            boolean complete = expected == seq + 1;
            return new Recovery(complete, complete ? missed : List.of(), position);
        });
    }

    /** The history entry at {@code reply[i]} (its id) and {@code reply[i + 1]} (its body). */
    private static Publication entry(String userId, String epoch, List<Object> reply, int i) {
        return ClusterWire.parseBody(userId, entrySeq((byte[]) reply.get(i)), epoch,
                ByteBuffer.wrap((byte[]) reply.get(i + 1))).publication();
    }

    CompletableFuture<StreamPosition> position(String userId) {
        return stream(userId, "", 0).thenApply(reply -> new StreamPosition((Long) reply.get(0),
                new String((byte[]) reply.get(1), StandardCharsets.US_ASCII)));
    }

    private CompletableFuture<List<Object>> stream(String userId, String epoch, long since) {
        if (!layout.agreed()) {
            return RedisErrors.unreachable();
        }
        return RedisScripts.RECOVER.run(shards.of(userId), ScriptOutputType.MULTI,
                new String[] {RedisKeys.meta(userId), RedisKeys.stream(userId)},
                ascii(newEpoch()), metaTtlArg, ascii(epoch), ascii(since), historySizeArg, layout.generation());
    }

    private static long entrySeq(byte[] id) {
        String text = new String(id, StandardCharsets.US_ASCII);
        int dash = text.indexOf('-');
        return Long.parseLong(dash < 0 ? text : text.substring(0, dash));
    }

    /**
     * A candidate epoch for a stream the script may have to create. It is sent with every publish,
     * so it comes from a cheap generator: an epoch only has to differ from the stream's previous
     * ones, and guessing one gains nothing (a client resumes only its own user's stream).
     */
    static String newEpoch() {
        long bits = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        byte[] bytes = java.nio.ByteBuffer.allocate(8).putLong(bits).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] ascii(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
