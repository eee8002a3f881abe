package dev.switchboard.broker;

import dev.switchboard.testing.RedisClusterProcess;
import dev.switchboard.testing.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker contract on a Redis Cluster of three masters and three replicas ({@code redis-cluster://}):
 * every script runs in one slot, and users' channels are sharded (no classic channel is used, so no
 * message is broadcast to every cluster node).
 */
class RedisClusterBrokerTest extends RedisBrokerContract {
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisClusterProcess.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Override
    protected String redisUri() {
        return cluster.uri();
    }

    @Override
    protected boolean keysAreGlobal() {
        return false;
    }

    @Override
    protected int subscribers(String user) throws Exception {
        String channel = "sb:{" + user + "}:c";
        String reply = cluster.masterOf(channel).command("PUBSUB", "SHARDNUMSUB", channel);
        return Integer.parseInt(reply.substring(reply.lastIndexOf(':') + 1).trim());
    }

    @Test
    void usersAreSpreadOverTheMastersAndNoClassicChannelIsUsed() throws Exception {
        java.util.Set<Integer> masters = new java.util.HashSet<>();
        for (int i = 0; i < 12; i++) {
            String user = user("spread" + i);
            get(broker.subscribe(user));
            get(broker.publish(to(user, "hi")));
            RedisProcess master = cluster.masterOf("sb:{" + user + "}:m");
            assertThat(master.command("EXISTS", "sb:{" + user + "}:m")).startsWith(":1");
            masters.add(master.port());
        }
        assertThat(masters).as("12 users over 3 masters").hasSizeGreaterThan(1);
        for (String channels : cluster.onMasters("PUBSUB", "CHANNELS")) {
            assertThat(channels).as("classic pub/sub is broadcast to every node: never used").startsWith("*0");
        }
        assertThat(listener.publications).hasSize(12);
    }
}
