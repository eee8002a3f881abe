package dev.switchboard.broker;

import dev.switchboard.broker.redis.RedisBroker;
import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.history.HistoryOptions;
import dev.switchboard.core.Clock;
import dev.switchboard.core.NodeIds;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The broker contract against a cluster node's broker on one real Redis, and what only one Redis does. */
class RedisBrokerTest extends RedisBrokerContract {
    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected String redisUri() {
        return redis.uri();
    }

    @Override
    protected boolean keysAreGlobal() {
        return true;
    }

    @Override
    protected int subscribers(String user) throws Exception {
        String reply = redis.command("PUBSUB", "NUMSUB", "sb:{" + user + "}:c");
        return Integer.parseInt(reply.substring(reply.lastIndexOf(':') + 1).trim());
    }

    /**
     * One node's publishes are batched: a burst runs as far fewer scripts than messages, written in
     * far fewer reads, each message still placed once and in order.
     */
    @Test
    void aBurstOfPublishesRunsAsFewBatchedScriptsInFewRoundTrips() throws Exception {
        String bob = user("bob");
        get(broker.subscribe(bob));
        long readsBefore = stat("total_reads_processed");
        long scriptsBefore = stat("evalsha");
        List<java.util.concurrent.CompletableFuture<PublishResult>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sent.add(broker.publish(to(i % 2 == 0 ? bob : user("carol"), "burst " + i)));
        }
        for (var result : sent) {
            get(result);
        }
        long scripts = stat("evalsha") - scriptsBefore;
        long reads = stat("total_reads_processed") - readsBefore;
        assertThat(scripts).as("scripts for 2,000 messages, at most 64 each").isBetween(2000L / 64, 1000L);
        // Measured: 50-62 reads when scripts are written together, 389-811 when each is written on its own.
        assertThat(reads).as("read events in Redis for 2,000 messages").isLessThan(250);
        assertThat(sent.stream().map(f -> f.join().seq()).filter(seq -> seq <= 1000).count()).isEqualTo(2000);
        await().untilAsserted(() -> assertThat(listener.texts()).hasSize(1000));
        for (int i = 0; i < 1000; i++) {
            assertThat(listener.texts().get(i)).isEqualTo("burst " + 2 * i);
        }
    }

    /** A figure of INFO: a field of {@code stats}, or a command's calls from {@code commandstats}. */
    private static long stat(String name) throws Exception {
        String info = redis.command("INFO", name.equals("evalsha") ? "commandstats" : "stats");
        java.util.regex.Matcher calls = java.util.regex.Pattern.compile("cmdstat_" + name + ":calls=(\\d+)").matcher(info);
        if (calls.find()) {
            return Long.parseLong(calls.group(1));
        }
        java.util.regex.Matcher field = java.util.regex.Pattern.compile(name + ":(\\d+)").matcher(info);
        return field.find() ? Long.parseLong(field.group(1)) : 0;
    }

    @Test
    void aUsersStreamInRedisIsBoundedInBytesBesideItsLength() throws Exception {
        RedisBroker bounded = new RedisBroker(redis.uri(), NodeIds.random(), Clock.SYSTEM, new ManualScheduler(),
                new HistoryOptions(1000, Duration.ofMinutes(5), HistoryOptions.defaultMaxBytes(), 2048),
                Duration.ofMillis(500));
        try {
            get(bounded.start(new RecordingListener()));
            String bob = user("bob");
            String epoch = null;
            for (int i = 1; i <= 10; i++) {
                epoch = get(bounded.publish(to(bob, "y".repeat(500)))).epoch();
            }

            String length = redis.command("XLEN", "sb:{" + bob + "}:h");
            assertThat(length.trim()).as("each body is the message plus its envelope: under 2 KiB, at most 3")
                    .isIn(":3", ":2");
            Recovery recent = get(bounded.recover(bob, 8, epoch));
            assertThat(recent.recovered()).isTrue();
            assertThat(recent.missed()).extracting(Publication::seq).containsExactly(9L, 10L);
            assertThat(get(bounded.recover(bob, 5, epoch)).recovered()).as("trimmed: told, not skipped").isFalse();
        } finally {
            bounded.close();
        }
    }

    @Test
    void aFullRedisWithNoEvictionRefusesSendsCleanlyAndNothingIsSkipped() throws Exception {
        try (RedisProcess own = RedisProcess.start()) {
            RedisBroker node = new RedisBroker(own.uri(), NodeIds.random(), Clock.SYSTEM, new ManualScheduler(), 1000,
                    Duration.ofMinutes(5), Duration.ofMillis(500));
            try {
                get(node.start(new RecordingListener()));
                own.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
                own.command("CONFIG", "SET", "maxmemory", "3mb");
                String big = "z".repeat(16_000);
                Throwable refused = null;
                long lastSeq = 0;
                String epoch = null;
                for (int i = 0; i < 2_000 && refused == null; i++) {
                    try {
                        PublishResult placed = get(node.publish(to("user-" + (i % 50), big)));
                        if (placed.seq() > 0 && ("user-" + (i % 50)).equals("user-0")) {
                            lastSeq = placed.seq();
                            epoch = placed.epoch();
                        }
                    } catch (java.util.concurrent.ExecutionException e) {
                        refused = e.getCause();
                    }
                }
                assertThat(refused).as("Redis filled up and said so").isInstanceOf(BrokerUnavailableException.class)
                        .hasMessageContaining("out of memory");

                own.command("CONFIG", "SET", "maxmemory", "0");
                PublishResult after = get(node.publish(to("user-0", "after")));
                assertThat(after.epoch()).isEqualTo(epoch);
                assertThat(after.seq()).as("a refused send took no seq: no gap").isEqualTo(lastSeq + 1);
            } finally {
                node.close();
            }
        }
    }

    @Test
    void aFullRedisThatEvictsKeysNeverLetsARecoverySkipAnything() throws Exception {
        try (RedisProcess own = RedisProcess.start()) {
            RedisBroker node = new RedisBroker(own.uri(), NodeIds.random(), Clock.SYSTEM, new ManualScheduler(), 1000,
                    Duration.ofMinutes(5), Duration.ofMillis(500));
            try {
                get(node.start(new RecordingListener()));
                own.command("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
                own.command("CONFIG", "SET", "maxmemory", "3mb");
                String big = "w".repeat(8_000);
                String epoch = get(node.position("watched")).epoch();
                for (int i = 0; i < 1_000; i++) {
                    get(node.publish(to(i % 10 == 0 ? "watched" : "user-" + i, big)));
                }
                Recovery recovery = get(node.recover("watched", 0, epoch));
                if (recovery.recovered()) {
                    List<Long> seqs = recovery.missed().stream().map(Publication::seq).toList();
                    assertThat(seqs).as("recovered means everything, in order")
                            .containsExactlyElementsOf(java.util.stream.LongStream
                                    .rangeClosed(1, recovery.position().seq()).boxed().toList());
                } else {
                    assertThat(recovery.missed().isEmpty() || !recovery.position().epoch().equals(epoch))
                            .as("not recovered: nothing is passed off as the missed messages of the same epoch")
                            .isTrue();
                }
                assertThat(own.command("INFO", "stats")).contains("evicted_keys:");
            } finally {
                node.close();
            }
        }
    }

    @Test
    void aFailedSubscribeIsRolledBack() throws Exception {
        try (RedisProcess own = RedisProcess.start()) {
            Broker node = new RedisBroker(own.uri(), NodeIds.random(), Clock.SYSTEM, new ManualScheduler(), 10,
                    Duration.ofMinutes(1), Duration.ofMillis(500));
            try {
                get(node.start(new RecordingListener()));
                own.kill();
                assertThat(node.subscribe("bob")).failsWithin(Duration.ofSeconds(10));
                own.restart();

                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .until(() -> node.subscribe("bob").get(1, java.util.concurrent.TimeUnit.SECONDS) == null);
                get(node.unsubscribe("bob"));

                String reply = own.command("PUBSUB", "NUMSUB", "sb:{bob}:c");
                assertThat(reply.substring(reply.lastIndexOf(':') + 1).trim())
                        .as("the failed subscribe left no count behind").isEqualTo("0");
            } finally {
                node.close();
            }
        }
    }
}
