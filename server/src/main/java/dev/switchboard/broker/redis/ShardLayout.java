package dev.switchboard.broker.redis;

import dev.switchboard.core.RedisAddress;
import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The generation of the client-side shards' layout, which every user's stream is stamped with: when
 * the shard list changes, users may move to another shard, and a user that later moves back would
 * find a stale stream there — so a new list gets a new generation, and every stream written under an
 * older one starts again in a new epoch (its clients get an honest {@code recovered:false}).
 *
 * <p>The list and its generation live on the home ({@code sb:layout}). A node whose list matches the
 * stored one takes its generation; a node with another list stores a new generation only when no
 * node is alive (the documented change: stop every node, change the list, start them): while nodes
 * with the old list run, a node with a new one is refused and stays not ready, so two lists never
 * place users at once. One Redis and a Redis Cluster have no layout (empty generation). Thread-safe.
 */
final class ShardLayout {
    private static final Logger log = LoggerFactory.getLogger(ShardLayout.class);
    private static final byte[] NONE = new byte[0];

    private final Shards shards;
    private final byte[] list;
    private volatile byte[] generation;
    private volatile boolean warned;

    ShardLayout(Shards shards, RedisAddress address) {
        this.shards = shards;
        this.list = address.kind() == RedisAddress.Kind.SHARDS ? String.join(" ", address.uris().stream()
                .map(Shards::identity).toList()).getBytes(StandardCharsets.UTF_8) : null;
        this.generation = list == null ? NONE : null;
    }

    /** Whether this node may place users: it agrees with the stored layout (or needs none). */
    boolean agreed() {
        return generation != null;
    }

    /** The generation to stamp streams with (empty: none); only once {@link #agreed}. */
    byte[] generation() {
        return generation;
    }

    /** Agrees on the layout with the home, if not done yet; completes either way. */
    CompletableFuture<Void> agree() {
        if (generation != null) {
            return CompletableFuture.completedFuture(null);
        }
        return RedisScripts.LAYOUT.<byte[]>run(shards.home(), ScriptOutputType.VALUE,
                new String[] {RedisKeys.LAYOUT, RedisKeys.REGISTRY}, list,
                RedisHistory.newEpoch().getBytes(StandardCharsets.US_ASCII)).handle((stored, error) -> {
                    if (stored != null) {
                        generation = stored;
                    } else if (error == null && !warned) {
                        warned = true;
                        log.error("the shard list in --redis differs from the one the running nodes use;"
                                + " this node stays not ready until they stop (change the list with every node"
                                + " stopped: docs/DEPLOYMENT.md)");
                    }
                    return null;
                });
    }
}
