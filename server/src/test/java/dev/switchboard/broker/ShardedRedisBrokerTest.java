package dev.switchboard.broker;

import dev.switchboard.broker.redis.RedisBroker;
import dev.switchboard.testing.RedisProcess;
import dev.switchboard.testing.RedisShards;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker contract on three standalone Redis servers as client-side shards: each user's keys and
 * channel on one shard, chosen by rendezvous hashing; the node registry on the first (the home).
 */
class ShardedRedisBrokerTest extends RedisBrokerContract {
    private static RedisShards shards;

    @BeforeAll
    static void startShards() throws Exception {
        shards = RedisShards.start(3);
    }

    @AfterAll
    static void stopShards() throws Exception {
        shards.close();
    }

    @Override
    protected String redisUri() {
        return shards.uri();
    }

    @Override
    protected boolean keysAreGlobal() {
        return false;
    }

    @Override
    protected int subscribers(String user) throws Exception {
        int total = 0;
        for (RedisProcess shard : shards.shards()) {
            String reply = shard.command("PUBSUB", "NUMSUB", "sb:{" + user + "}:c");
            total += Integer.parseInt(reply.substring(reply.lastIndexOf(':') + 1).trim());
        }
        return total;
    }

    @Test
    void eachUserLivesOnOneShardTheSameForEveryNodeAndTheRegistryOnTheHome() throws Exception {
        Set<Integer> used = new HashSet<>();
        try (RedisBroker other = anotherNode()) {
            for (int i = 0; i < 30; i++) {
                String user = user("spread" + i);
                get(broker.publish(to(user, "hi")));
                RedisProcess holder = shards.holding("sb:{" + user + "}:m");
                used.add(holder.port());
                get(other.publish(to(user, "again")));
                assertThat(get(broker.position(user)).seq()).as("both nodes place the user on one shard").isEqualTo(2);
                for (RedisProcess shard : shards.shards()) {
                    if (shard != holder) {
                        assertThat(shard.command("EXISTS", "sb:{" + user + "}:m", "sb:{" + user + "}:h"))
                                .startsWith(":0");
                    }
                }
            }
        }
        assertThat(used).as("30 users over 3 shards").hasSize(3);
        assertThat(shards.shards().get(0).command("EXISTS", "sb:nodes")).startsWith(":1");
        assertThat(shards.shards().get(1).command("EXISTS", "sb:nodes")).startsWith(":0");
    }
}
