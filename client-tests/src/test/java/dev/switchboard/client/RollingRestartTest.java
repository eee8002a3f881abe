package dev.switchboard.client;

import dev.switchboard.client.testing.Balancer;
import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.Servers;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling restart of a two-node cluster on Redis behind a load balancer, while a sender sends
 * 3,000 messages to a receiver: each node in turn is stopped as SIGTERM does (its connections get
 * 1001 and move, through the balancer, to the other node) and replaced by a fresh one. The receiver
 * ends with every message exactly once, in order, and every send is acknowledged once in the
 * stream's order — the clients resume and resend elsewhere, and nothing is lost.
 */
class RollingRestartTest {
    private static final int TOTAL = 3_000;
    private static final int PER_SECOND = 500;

    private TestCluster cluster;
    private Balancer balancer;
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(SwitchboardClient::close);
        if (balancer != null) {
            balancer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private SwitchboardClient connect(String userId, Recorder recorder) throws Exception {
        SwitchboardClient client = recorder.attach(SwitchboardClient.builder(balancer.uri()).userId(userId)
                .options(Servers.fastOptions())).build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    private List<Integer> ports() {
        return cluster.nodes().stream().map(SwitchboardServer::port).toList();
    }

    @Test
    void everyMessageArrivesOnceInOrderThroughARollingRestart() throws Exception {
        cluster = TestCluster.start(2, Servers.config().build());
        balancer = new Balancer(ports());
        Recorder bobs = new Recorder();
        connect("bob", bobs);
        Recorder alices = new Recorder();
        SwitchboardClient alice = connect("alice", alices);

        Semaphore window = new Semaphore(50);
        List<CompletableFuture<Ack>> acks = new ArrayList<>(TOTAL);
        long start = System.nanoTime();
        int restarted = 0;
        for (int i = 0; i < TOTAL; i++) {
            long due = start + i * (1_000_000_000L / PER_SECOND);
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(200_000);
            }
            if (i == TOTAL / 3 || i == 2 * TOTAL / 3) {
                // New connections go to the surviving node and the fresh one; the old one drains.
                int index = restarted++;
                SwitchboardServer replaced = cluster.node(index);
                balancer.route(ports().stream().filter(p -> p != replaced.port()).toList());
                cluster.restart(index);
                balancer.route(ports());
            }
            assertThat(window.tryAcquire(30, TimeUnit.SECONDS)).as("an ack within 30 s (send %d)", i).isTrue();
            CompletableFuture<Ack> ack = alice.sendJson("bob", Integer.toString(i));
            ack.whenComplete((value, error) -> window.release());
            acks.add(ack);
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(15)).until(() -> bobs.messageCount() >= TOTAL);
        assertThat(bobs.messages()).extracting(Message::json).as("each message once, in order")
                .containsExactlyElementsOf(IntStream.range(0, TOTAL).mapToObj(Integer::toString).toList());
        assertThat(acks.stream().map(CompletableFuture::join).map(Ack::seq).toList())
                .isEqualTo(IntStream.rangeClosed(1, TOTAL).mapToObj(n -> (long) n).toList());
        assertThat(bobs.resyncs()).as("every reconnect recovered what it missed").isEmpty();
        assertThat(alices.states()).as("the sender was moved by a 1001")
                .anySatisfy(change -> assertThat(change.closeCode()).isEqualTo(1001));
    }
}
