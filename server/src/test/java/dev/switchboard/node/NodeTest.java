package dev.switchboard.node;

import dev.switchboard.broker.FakeBroker;
import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.Clock;
import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;
import dev.switchboard.hub.FakeSession;
import dev.switchboard.hub.Hub;
import dev.switchboard.hub.SessionEvent;
import dev.switchboard.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's façade on a hand-written broker: subscriptions follow the hub's first and last
 * connection of a user, a handshake waits for what it must, failures reach the caller, and an
 * outage closes only the connections that can resume.
 */
class NodeTest {
    private final FakeBroker broker = new FakeBroker();
    private final AtomicLong missed = new AtomicLong();
    private final Node node = new Node("n1", new Hub(), broker, broker, broker, new Metrics() {
        @Override
        public void missedDuringOutage(long messages) {
            missed.addAndGet(messages);
        }
    }, Clock.SYSTEM);

    {
        node.start().join();
    }

    @AfterEach
    void close() {
        node.close();
    }

    /** A connection's whole handshake: prepare, then open. */
    private FakeSession connect(String id, String user) {
        assertThat(node.prepare(user)).isCompleted();
        FakeSession session = new FakeSession(id, user);
        assertThat(node.open(session)).isCompleted();
        return session;
    }

    private static Publication to(String user, String text) {
        return new Publication(user, Message.ofString(text), null);
    }

    @Test
    void theNodeSubscribesWhenAUserArrivesAndUnsubscribesWhenTheyLeaveNotPerConnection() {
        FakeSession phone = connect("n1-1", "bob");
        FakeSession pc = connect("n1-2", "bob");
        node.closed(phone);
        node.closed(phone);
        node.closed(pc);

        assertThat(broker.subscriptions).containsExactly("+bob", "-bob");
    }

    @Test
    void aPublicationReachesEveryConnectionOfTheUserHereAndIsCounted() {
        FakeSession phone = connect("n1-1", "bob");
        FakeSession pc = connect("n1-2", "bob");

        assertThat(node.publish(to("bob", "hi")).join().delivered()).isEqualTo(2);
        assertThat(phone.delivered()).hasSize(1);
        assertThat(pc.delivered()).hasSize(1);
        assertThat(node.localConnections("bob")).isEqualTo(2);
        assertThat(node.users()).isEqualTo(1);
    }

    @Test
    void aFailedSubscribeFailsTheHandshakeAndIsNeverUnsubscribedAndTheNextArrivalTriesAgain() {
        broker.subscribeFails = true;
        assertThat(node.prepare("bob")).isCompletedExceptionally();
        node.release("bob");
        assertThat(broker.subscriptions).as("a failed subscribe was rolled back by the broker").containsExactly("+bob");

        broker.subscribeFails = false;
        FakeSession back = connect("n1-1", "bob");
        node.closed(back);

        assertThat(broker.subscriptions).containsExactly("+bob", "+bob", "-bob");
    }

    @Test
    void aSecondConnectionWaitsForTheSubscriptionTheFirstStarted() {
        broker.subscribeSlow = true;
        CompletableFuture<Void> first = node.prepare("bob");
        CompletableFuture<Void> second = node.prepare("bob");
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        broker.completeSubscribes();

        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(broker.subscriptions).containsExactly("+bob");
    }

    @Test
    void aUserWhoLeavesWhileTheSubscribeIsInFlightIsUnsubscribedOnceItSucceeds() {
        broker.subscribeSlow = true;
        node.prepare("bob");
        node.release("bob");
        assertThat(broker.subscriptions).containsExactly("+bob");

        broker.completeSubscribes();

        assertThat(broker.subscriptions).containsExactly("+bob", "-bob");
    }

    @Test
    void openCompletesOnlyOnceThePresenceStoreRecordedTheCount() {
        broker.presenceSlow = true;
        node.prepare("bob");
        CompletableFuture<Void> counted = node.open(new FakeSession("n1-1", "bob"));
        assertThat(counted).as("the 101 must wait").isNotDone();

        broker.completePresence();

        assertThat(counted).isCompleted();
        assertThat(broker.presenceReports).hasSize(1).first().asString().startsWith("bob=1@");
    }

    @Test
    void presenceReportsCarryRisingRevisionsAndTheUsersOtherConnectionsHearOfChanges() {
        FakeSession phone = connect("n1-1", "bob");
        FakeSession pc = connect("n1-2", "bob");
        node.closed(pc);

        assertThat(broker.presenceReports).hasSize(3);
        long[] revisions = broker.presenceReports.stream()
                .mapToLong(r -> Long.parseLong(r.substring(r.indexOf('@') + 1))).toArray();
        assertThat(revisions).isSorted().doesNotHaveDuplicates();
        assertThat(broker.presenceReports.stream().map(r -> r.substring(0, r.indexOf('@'))))
                .containsExactly("bob=1", "bob=2", "bob=1");
        assertThat(phone.events()).containsExactly(new SessionEvent.Presence("bob", true, 2),
                new SessionEvent.Presence("bob", true, 1));
    }

    @Test
    void aPublishTheBrokerRefusesFailsWithItsReason() {
        broker.publishFails = true;

        assertThat(node.publish(to("bob", "hi"))).failsWithin(java.time.Duration.ZERO)
                .withThrowableThat().withCauseInstanceOf(BrokerUnavailableException.class);
    }

    @Test
    void afterAnOutageOnlyResumableConnectionsAreClosedAndWhatPlainOnesMissedIsCounted() {
        FakeSession plain = connect("n1-1", "bob");
        FakeSession v1 = new FakeSession("n1-2", "bob").resuming();
        node.prepare("bob");
        node.open(v1);

        broker.listener().onMissed(Map.of("bob", 3L));

        assertThat(v1.closeCode()).isEqualTo(1012);
        assertThat(v1.closeReason()).isEqualTo(Node.MISSED_REASON);
        assertThat(plain.closeCode()).as("kept").isEqualTo(-1);
        assertThat(missed).hasValue(3);
    }

    @Test
    void aReceiptGoesToTheSendingConnectionHereOrToItsNode() {
        FakeSession sender = connect("n1-1", "alice");

        assertThat(node.receipt(new Publication.ReceiptRequest("n1-1", "r1"), "bob", 4, "n2-9")).isTrue();
        assertThat(node.receipt(new Publication.ReceiptRequest("n2-5", "r2"), "bob", 5, "n1-3")).isTrue();

        assertThat(sender.events()).containsExactly(new SessionEvent.Receipt("r1", "bob", 4, "n2-9"));
        assertThat(broker.routedReceipts).containsExactly("n2-5:5");
    }

    @Test
    void aDisconnectClosesTheUsersConnectionsHere() {
        FakeSession phone = connect("n1-1", "bob");
        FakeSession other = connect("n1-2", "alice");

        assertThat(node.disconnect("bob", 4003, "bye").join().count()).isEqualTo(1);
        assertThat(phone.closeCode()).isEqualTo(4003);
        assertThat(other.closeCode()).isEqualTo(-1);
    }
}
