package dev.switchboard.client;

import dev.switchboard.testing.ChaosProxy;
import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.Servers;
import dev.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The flagship: recovery under flapping. The receiving client reaches the server through a
 * proxy that resets every connection every 200 ms, so it goes through the real drop → backoff →
 * reconnect → resume path over and over, while a sender (connected directly) sends 5,000 messages.
 * The receiver must end with all 5,000, each exactly once, in order, with contiguous seqs.
 */
class FlappingRecoveryTest {
    private static final int TOTAL = 5_000;
    /** The sender's pace: long enough for about twenty cuts. */
    private static final int PER_SECOND = 1_250;
    /**
     * The most the sender runs ahead of the receiver: half the server's default history (1,000),
     * so every gap a reconnect leaves is still in history.
     */
    private static final int WINDOW = 500;

    private SwitchboardServer server;
    private ChaosProxy proxy;
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(SwitchboardClient::close);
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aReceiverCutEvery200msGetsAll5000MessagesExactlyOnceInOrderWithContiguousSeqs() throws Exception {
        server = Servers.start();
        proxy = ChaosProxy.start(server.port());
        Recorder bobs = new Recorder();
        SwitchboardClient receiver = bobs.attach(SwitchboardClient.builder(proxy.uri()).userId("bob")
                .options(Servers.fastOptions())).build();
        clients.add(receiver);
        receiver.connect().get(5, TimeUnit.SECONDS);
        SwitchboardClient sender = SwitchboardClient.builder(Servers.uri(server)).userId("alice")
                .options(Servers.fastOptions()).build();
        clients.add(sender);
        sender.connect().get(5, TimeUnit.SECONDS);

        proxy.cutEvery(Duration.ofMillis(200));
        List<CompletableFuture<Ack>> acks = new ArrayList<>(TOTAL);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(40);
        for (int i = 0; i < TOTAL; i++) {
            long due = start + i * (1_000_000_000L / PER_SECOND);
            while (System.nanoTime() < due || i - bobs.messageCount() >= WINDOW) {
                if (System.nanoTime() > deadline) {
                    fail("the receiver is stuck at " + bobs.messageCount() + " of " + i + " sent; states: "
                            + bobs.states().subList(Math.max(0, bobs.states().size() - 5), bobs.states().size()));
                }
                LockSupport.parkNanos(200_000);
            }
            acks.add(sender.sendJson("bob", Integer.toString(i)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> bobs.messageCount() >= TOTAL);
        proxy.stopCutting();

        List<Message> received = bobs.messages();
        // Exactly once and in order: every body 0…4999, in sending order, nothing more.
        assertThat(received).extracting(Message::json).containsExactlyElementsOf(
                IntStream.range(0, TOTAL).mapToObj(Integer::toString).toList());
        // Contiguous seqs, and the very seqs the server acknowledged to the sender.
        long first = received.get(0).seq();
        assertThat(received).extracting(Message::seq).containsExactlyElementsOf(
                IntStream.range(0, TOTAL).mapToObj(i -> first + i).toList());
        CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
        assertThat(acks.get(0).join().seq()).isEqualTo(first);
        assertThat(acks.get(TOTAL - 1).join().seq()).isEqualTo(first + TOTAL - 1);
        // The path under test really ran: many drops, each resumed without loss.
        long reconnects = bobs.count(ConnectionState.OPEN) - 1;
        assertThat(proxy.cut()).isGreaterThanOrEqualTo(10);
        assertThat(reconnects).isGreaterThanOrEqualTo(10);
        assertThat(bobs.resyncs()).isEmpty();
        assertThat(bobs.errors()).isEmpty();
        System.out.printf("flapping: %d messages in %d ms, %d cuts, %d reconnects%n", TOTAL,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), proxy.cut(), reconnects);
    }
}
