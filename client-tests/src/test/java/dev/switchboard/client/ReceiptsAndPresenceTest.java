package dev.switchboard.client;

import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.Servers;
import dev.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Receipts (confirmed by the client itself) and presence, events and queries, against a real server. */
class ReceiptsAndPresenceTest {
    private static SwitchboardServer server;
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private String bob;
    private String alice;

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = Servers.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void names(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        bob = "bob-" + name;
        alice = "alice-" + name;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SwitchboardClient::close);
    }

    private SwitchboardClient connect(String userId, Recorder recorder) throws Exception {
        SwitchboardClient client = recorder.attach(SwitchboardClient.builder(Servers.uri(server))
                .userId(userId).options(Servers.fastOptions())).build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void bothOfBobsDevicesConfirmAndTheSenderGetsAReceiptNamingEach() throws Exception {
        Recorder phoneEvents = new Recorder();
        Recorder pcEvents = new Recorder();
        SwitchboardClient phone = connect(bob, phoneEvents);
        SwitchboardClient pc = connect(bob, pcEvents);
        Recorder alices = new Recorder();
        SwitchboardClient sender = connect(alice, alices);

        Ack ack = sender.send(bob, "did you get this?", SendOptions.withReceipt()).get(5, TimeUnit.SECONDS);

        assertThat(ack.delivered()).isEqualTo(2);
        await().until(() -> alices.receipts().size() == 2);
        assertThat(alices.receipts()).extracting(Receipt::connectionId)
                .containsExactlyInAnyOrder(phone.connectionId(), pc.connectionId());
        assertThat(alices.receipts()).allSatisfy(receipt -> {
            assertThat(receipt.to()).isEqualTo(bob);
            assertThat(receipt.seq()).isEqualTo(ack.seq());
        });
        assertThat(phoneEvents.messages()).singleElement()
                .satisfies(message -> assertThat(message.receiptRequested()).isTrue());
        assertThat(phone.connectionId()).isNotEqualTo(pc.connectionId());
    }

    @Test
    void noReceiptIsSentForAMessageThatAskedForNone() throws Exception {
        Recorder bobs = new Recorder();
        connect(bob, bobs);
        Recorder alices = new Recorder();
        SwitchboardClient sender = connect(alice, alices);

        sender.send(bob, "no receipt please").get(5, TimeUnit.SECONDS);
        Ack marker = sender.send(bob, "receipt please", SendOptions.withReceipt()).get(5, TimeUnit.SECONDS);

        // Receipts arrive in order of confirmation: once the second's is here, the first's would be.
        await().until(() -> alices.receipts().size() == 1);
        assertThat(alices.receipts()).extracting(Receipt::seq).containsExactly(marker.seq());
    }

    @Test
    void aConfirmationWaitsForTheMessageListenerToReturn() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        SwitchboardClient receiver = SwitchboardClient.builder(Servers.uri(server)).userId(bob)
                .onMessage(message -> {
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }).build();
        clients.add(receiver);
        receiver.connect().get(5, TimeUnit.SECONDS);
        Recorder alices = new Recorder();
        SwitchboardClient sender = connect(alice, alices);

        sender.send(bob, "process me", SendOptions.withReceipt()).get(5, TimeUnit.SECONDS);
        // The listener is still busy, yet the client still answers requests on its own thread.
        assertThat(sender.presence(bob).get(5, TimeUnit.SECONDS).online()).isTrue();
        assertThat(alices.receipts()).isEmpty();

        release.countDown();
        await().until(() -> alices.receipts().size() == 1);
    }

    @Test
    void bobsPcSeesHisPhoneComeAndGo() throws Exception {
        Recorder pcEvents = new Recorder();
        connect(bob, pcEvents);
        SwitchboardClient phone = connect(bob, new Recorder());

        await().until(() -> pcEvents.presence().contains(new Presence(bob, true, 2)));
        phone.close();

        await().until(() -> pcEvents.presence().contains(new Presence(bob, true, 1)));
        assertThat(pcEvents.presence()).containsExactly(new Presence(bob, true, 2), new Presence(bob, true, 1));
    }

    @Test
    void presenceQueriesCountConnections() throws Exception {
        connect(bob, new Recorder());
        connect(bob, new Recorder());
        SwitchboardClient asker = connect(alice, new Recorder());

        assertThat(asker.presence(bob).get(5, TimeUnit.SECONDS)).isEqualTo(new Presence(bob, true, 2));
        assertThat(asker.presence("nobody-" + bob).get(5, TimeUnit.SECONDS))
                .isEqualTo(new Presence("nobody-" + bob, false, 0));
        assertThat(asker.presence(alice).get(5, TimeUnit.SECONDS)).isEqualTo(new Presence(alice, true, 1));
    }

    @Test
    void aFreshClientStartsAtTheStreamsCurrentSeqNotAtItsHistory() throws Exception {
        SwitchboardClient sender = connect(alice, new Recorder());
        Ack ack = sender.send(bob, "while you were out").get(5, TimeUnit.SECONDS);
        assertThat(ack.delivered()).isZero();

        // A fresh client has no position to resume from: it starts at the stream's current seq.
        Recorder bobs = new Recorder();
        connect(bob, bobs);
        sender.send(bob, "welcome back").get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> bobs.messageCount() == 1);
        assertThat(bobs.messages().get(0).seq()).isEqualTo(ack.seq() + 1);
    }
}
