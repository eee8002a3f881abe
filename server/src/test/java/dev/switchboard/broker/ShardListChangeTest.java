package dev.switchboard.broker;

import dev.switchboard.broker.redis.RedisBroker;
import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.Clock;
import dev.switchboard.core.Message;
import dev.switchboard.core.NodeIds;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.RedisProcess;
import dev.switchboard.testing.RedisShards;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Changing the list of client-side shards, the documented way: every node stopped, then started with
 * the new list. Streams written under the old list start again in a new epoch (an honest
 * {@code recovered:false}), also for a user that comes back to a shard it had left; a node started
 * with another list while nodes with the old one run is refused (not ready, sends unavailable).
 */
class ShardListChangeTest {
    private RedisShards shards;

    private String list(int count) {
        return shards.shards().subList(0, count).stream().map(RedisProcess::uri).collect(Collectors.joining(","));
    }

    private static RedisBroker node(String redis) throws Exception {
        RedisBroker broker = new RedisBroker(redis, NodeIds.random(), Clock.SYSTEM, new ManualScheduler(), 100,
                Duration.ofMinutes(5), Duration.ofMillis(500));
        broker.start(new RecordingListener()).get(10, TimeUnit.SECONDS);
        return broker;
    }

    private static PublishResult send(RedisBroker node, String user, String text) throws Exception {
        return node.publish(new Publication(user, Message.ofString(text), "alice")).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNewListStartsEveryStreamAgainAndIsRefusedWhileNodesWithTheOldOneRun() throws Exception {
        try (RedisShards started = RedisShards.start(3)) {
            shards = started;
            changeTheList();
        }
    }

    private void changeTheList() throws Exception {
        List<String> users = List.of("ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal", "ida", "jon");
        Map<String, PublishResult> before = new HashMap<>();
        RedisBroker three = node(list(3));
        for (String user : users) {
            before.put(user, send(three, user, "under three shards"));
        }

        RedisBroker two = node(list(2));
        assertThat(two.ready()).as("refused while a node with the old list runs").isFalse();
        assertThatThrownBy(() -> send(two, "ann", "too early")).hasCauseInstanceOf(BrokerUnavailableException.class);
        two.close();
        three.close();

        RedisBroker after = node(list(2));
        assertThat(after.ready()).as("every node had stopped: the new list is taken").isTrue();
        for (String user : users) {
            PublishResult first = send(after, user, "under two shards");
            assertThat(first.seq()).as(user + "'s stream starts again").isEqualTo(1);
            assertThat(first.epoch()).isNotEqualTo(before.get(user).epoch());
            Recovery resumed = after.recover(user, 1, before.get(user).epoch()).get(10, TimeUnit.SECONDS);
            assertThat(resumed.recovered()).as("a client of the old epoch is told").isFalse();
        }
        after.close();

        RedisBroker back = node(list(3));
        for (String user : users) {
            PublishResult again = send(back, user, "under three shards again");
            assertThat(again.seq()).as(user + " back on its first shard: not its stale stream").isEqualTo(1);
            assertThat(again.epoch()).isNotEqualTo(before.get(user).epoch());
        }
        back.close();
    }
}
