package dev.switchboard.client;

import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.Servers;
import dev.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One client used by many threads at once. */
class ConcurrentSendTest {
    private static final int THREADS = 16;
    private static final int PER_THREAD = 250;

    private SwitchboardServer server;
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(SwitchboardClient::close);
        server.close();
    }

    @Test
    void sixteenThreadsSendingAtOnceEachGetAnAckAndEveryMessageArrivesOnceInEachThreadsOrder() throws Exception {
        server = Servers.start();
        Recorder bobs = new Recorder();
        SwitchboardClient bob = bobs.attach(SwitchboardClient.builder(Servers.uri(server)).userId("bob")).build();
        SwitchboardClient alice = SwitchboardClient.builder(Servers.uri(server)).userId("alice").build();
        clients.add(bob);
        clients.add(alice);
        bob.connect().get(5, TimeUnit.SECONDS);
        alice.connect().get(5, TimeUnit.SECONDS);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<CompletableFuture<Ack>>>> perThread = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            perThread.add(pool.submit(() -> {
                start.await();
                List<CompletableFuture<Ack>> acks = new ArrayList<>();
                for (int i = 0; i < PER_THREAD; i++) {
                    acks.add(alice.send("bob", thread + ":" + i));
                }
                return acks;
            }));
        }
        start.countDown();
        List<Long> ackedSeqs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<CompletableFuture<Ack>> acks = perThread.get(t).get(10, TimeUnit.SECONDS);
            long previous = 0;
            for (CompletableFuture<Ack> ack : acks) {
                long seq = ack.get(10, TimeUnit.SECONDS).seq();
                assertThat(seq).as("one thread's sends are written in call order").isGreaterThan(previous);
                previous = seq;
                ackedSeqs.add(seq);
            }
        }
        pool.shutdown();

        int total = THREADS * PER_THREAD;
        assertThat(ackedSeqs).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        await().until(() -> bobs.messageCount() == total);
        List<Message> received = bobs.messages();
        assertThat(received).extracting(Message::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        Map<String, Integer> nextPerThread = new HashMap<>();
        for (Message message : received) {
            String[] parts = message.text().split(":");
            int expected = nextPerThread.getOrDefault(parts[0], 0);
            assertThat(Integer.parseInt(parts[1])).as("thread %s's messages in order", parts[0]).isEqualTo(expected);
            nextPerThread.put(parts[0], expected + 1);
        }
        assertThat(nextPerThread).hasSize(THREADS).allSatisfy((thread, count) -> assertThat(count).isEqualTo(PER_THREAD));
    }
}
