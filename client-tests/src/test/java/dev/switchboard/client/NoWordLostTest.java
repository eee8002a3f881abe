package dev.switchboard.client;

import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.ProxiedServer;
import dev.switchboard.testing.ChaosProxy;
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
 * No word lost on the way in. The <em>sender</em> reaches the server through a proxy that, every
 * 200 ms, black-holes one direction (alternately what it sends and what it is told) and 60 ms later
 * resets the connection, as a phone walking out of Wi-Fi does. Sends written into the hole never
 * arrive; acks written into it are never read. The client resends every unacknowledged send on the
 * next connection with its idempotency key, and the recipient ends with each of 5,000 messages
 * exactly once, in order.
 */
class NoWordLostTest {
    private static final int TOTAL = 5_000;
    /** Sends waiting for their acks at once (the client's queue holds them across reconnects). */
    private static final int WINDOW = 50;
    /**
     * The sender's pace: the run lasts at least 5 s, so the link flaps at least 20 times however fast
     * the machine (unpaced, a quick machine sent all 5,000 between two flaps).
     */
    private static final int PER_SECOND = 1_000;

    private ProxiedServer server;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fiveThousandSendsThroughALinkThatBlackHolesAndDiesEvery200msArriveExactlyOnceInOrder() throws Exception {
        server = ProxiedServer.start(config -> config);
        ChaosProxy proxy = server.proxy();
        Recorder bobs = new Recorder();
        SwitchboardClient receiver = server.connect(server.direct(), "bob", bobs);
        Recorder alices = new Recorder();
        SwitchboardClient sender = server.connect(proxy.uri(), "alice", alices);

        proxy.flap(Duration.ofMillis(200), Duration.ofMillis(60));
        Semaphore window = new Semaphore(WINDOW);
        List<CompletableFuture<Ack>> acks = new ArrayList<>(TOTAL);
        long start = System.nanoTime();
        for (int i = 0; i < TOTAL; i++) {
            long due = start + i * (1_000_000_000L / PER_SECOND);
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(200_000);
            }
            assertThat(window.tryAcquire(30, TimeUnit.SECONDS)).as("an ack within 30 s (send %d)", i).isTrue();
            CompletableFuture<Ack> ack = sender.sendJson("bob", Integer.toString(i));
            ack.whenComplete((value, error) -> window.release());
            acks.add(ack);
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        proxy.stopCutting();

        await().atMost(Duration.ofSeconds(15)).until(() -> bobs.messageCount() >= TOTAL);
        receiver.presence("bob").get(5, TimeUnit.SECONDS); // a round trip more: a duplicate would be here by now
        assertThat(bobs.messages()).extracting(Message::json)
                .as("each message exactly once, in order")
                .containsExactlyElementsOf(IntStream.range(0, TOTAL).mapToObj(Integer::toString).toList());
        List<Long> seqs = acks.stream().map(CompletableFuture::join).map(Ack::seq).toList();
        assertThat(seqs).as("the acks number bob's stream 1..N").isEqualTo(
                IntStream.rangeClosed(1, TOTAL).mapToObj(n -> (long) n).toList());
        long duplicates = acks.stream().map(CompletableFuture::join).filter(Ack::duplicate).count();
        long connections = alices.count(ConnectionState.OPEN);
        System.out.printf("%d sends, %d cuts, %d connections of the sender, %d resends answered as duplicates%n",
                TOTAL, proxy.cut(), connections, duplicates);
        assertThat(proxy.cut()).as("the link was cut").isGreaterThanOrEqualTo(10);
        assertThat(connections).as("the sender reconnected").isGreaterThanOrEqualTo(10);
    }
}
