package dev.switchboard.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Several standalone Redis servers for tests, as client-side shards: {@code --redis} takes the list
 * of their URIs; the first is the home. {@link #close} kills every process.
 */
public final class RedisShards implements AutoCloseable {
    private final List<RedisProcess> shards;

    private RedisShards(List<RedisProcess> shards) {
        this.shards = shards;
    }

    public static RedisShards start(int count) throws Exception {
        List<RedisProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                started.add(RedisProcess.start());
            }
            return new RedisShards(started);
        } catch (Exception | AssertionError e) {
            new RedisShards(started).close();
            throw e;
        }
    }

    /** What {@code --redis} takes: the shards' URIs, comma-separated. */
    public String uri() {
        return shards.stream().map(RedisProcess::uri).collect(Collectors.joining(","));
    }

    public List<RedisProcess> shards() {
        return List.copyOf(shards);
    }

    /** The shard that holds {@code key} (which must exist somewhere). */
    public RedisProcess holding(String key) throws IOException {
        for (RedisProcess shard : shards) {
            if (shard.command("EXISTS", key).startsWith(":1")) {
                return shard;
            }
        }
        throw new IllegalStateException("no shard holds " + key);
    }

    @Override
    public void close() throws Exception {
        Closer.closeAll(shards);
    }
}
