package dev.switchboard.client;

import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.Servers;
import dev.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener that cannot keep up. The client must not buffer without bound: past
 * {@code maxQueuedEvents} it stops reading, TCP pushes back, the server's outbound limit drops the
 * connection ({@code 4008 slow consumer}) — and once the listener catches up, the client resumes
 * from history and loses nothing.
 */
class SlowListenerTest {
    private static final int TOTAL = 2_000;
    /** 2,000 × 10 KB = 20 MB: far more than the socket buffers on both sides can hide. */
    private static final String BODY = "x".repeat(10_000);
    private static final int MAX_QUEUED_EVENTS = 50;

    private SwitchboardServer server;
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(SwitchboardClient::close);
        server.close();
    }

    @Test
    void aBlockedListenerStopsTheReadingTheServerDropsTheSlowConsumerAndNothingIsLost() throws Exception {
        // History must hold all 20 MB for bob's resume: above the default per-user bound of 1 MiB.
        server = Servers.start(config -> config.maxOutboundBytes(256 * 1024).historySize(TOTAL)
                .historyMaxBytesPerUser(64L << 20));
        CountDownLatch release = new CountDownLatch(1);
        Recorder bobs = new Recorder();
        List<Long> seqs = new ArrayList<>();
        SwitchboardClient bob = bobs.attach(SwitchboardClient.builder(Servers.uri(server)).userId("bob")
                        .options(Servers.fastOptions().withMaxQueuedEvents(MAX_QUEUED_EVENTS)))
                .onMessage(message -> {
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    synchronized (seqs) {
                        seqs.add(message.seq());
                    }
                }).build();
        clients.add(bob);
        bob.connect().get(5, TimeUnit.SECONDS);
        SwitchboardClient alice = SwitchboardClient.builder(Servers.uri(server)).userId("alice")
                .options(Servers.fastOptions()).build();
        clients.add(alice);
        alice.connect().get(5, TimeUnit.SECONDS);

        List<CompletableFuture<Ack>> acks = new ArrayList<>();
        for (int i = 0; i < TOTAL; i++) {
            acks.add(alice.send("bob", BODY));
        }
        CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
        // The server gave up on bob while his listener was stuck on the first message.
        await().atMost(Duration.ofSeconds(10)).until(() -> server.node().localConnections("bob") == 0);
        // Meanwhile the client kept no more than its bound in memory (a state change or two aside).
        assertThat(bob.queuedEvents()).isBetween(1, MAX_QUEUED_EVENTS + 3);

        release.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            synchronized (seqs) {
                return seqs.size() >= TOTAL;
            }
        });
        synchronized (seqs) {
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, TOTAL).boxed().toList());
        }
        assertThat(bobs.states()).anySatisfy(change -> {
            assertThat(change.state()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(change.closeCode()).isEqualTo(4008);
        });
        assertThat(bobs.resyncs()).isEmpty();
    }
}
