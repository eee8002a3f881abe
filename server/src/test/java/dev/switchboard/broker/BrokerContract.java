package dev.switchboard.broker;

import dev.switchboard.core.ClusterCount;
import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guarantees every {@link Broker} must keep, run against each implementation by a subclass
 * (a single node's in-memory broker, and a cluster node's Redis broker). The listener stands in
 * for a node's hub. Users are fresh per test, so brokers that share state across tests (Redis)
 * start every test on empty streams.
 */
public abstract class BrokerContract<B extends Broker & ClusterControl> {
    /** The backend under test: its broker and cluster-control roles... */
    protected B broker;
    /** ...and its presence store. */
    protected PresenceStore presence;
    protected final RecordingListener listener = new RecordingListener();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A broker keeping 1,000 messages per user for 5 minutes. */
    protected abstract B newBroker();

    /** The backend's presence store. */
    protected abstract PresenceStore presenceOf(B backend);

    @BeforeEach
    void startBroker() throws Exception {
        broker = newBroker();
        presence = presenceOf(broker);
        broker.start(listener).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    /** A user id unique to this test run. */
    protected String user(String name) {
        return name + "-" + run;
    }

    protected static Publication to(String user, String text) {
        return new Publication(user, Message.ofString(text), "alice");
    }

    protected static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPublicationReachesTheListenerOfASubscribedUserWithItsCount() throws Exception {
        String bob = user("bob");
        get(broker.subscribe(bob));
        listener.connectionsHere = 3;

        PublishResult result = get(broker.publish(to(bob, "hi")));

        assertThat(result.delivered()).isEqualTo(3);
        assertThat(result.partial()).isFalse();
        assertThat(listener.publications).extracting(Publication::userId).containsExactly(bob);
        assertThat(listener.publications.get(0).from()).isEqualTo("alice");
    }

    @Test
    void aPublicationKeepsItsKindSenderAndReceiptRequest() throws Exception {
        String bob = user("bob");
        get(broker.subscribe(bob));
        Publication.ReceiptRequest receipt = new Publication.ReceiptRequest("n1-7", "req-1");
        get(broker.publish(Publication.of(bob, Message.ofJson("{\"a\":[1,2]}".getBytes()), "alice", receipt)));
        get(broker.publish(new Publication(bob, Message.ofString("plain \"text\" ✓"), null)));

        Publication json = listener.publications.get(0);
        assertThat(json.message().isString()).isFalse();
        assertThat(new String(json.message().json())).isEqualTo("{\"a\":[1,2]}");
        assertThat(json.receipt()).isEqualTo(receipt);
        assertThat(json.timestampMillis()).isPositive();
        Publication text = listener.publications.get(1);
        assertThat(text.message()).isEqualTo(Message.ofString("plain \"text\" ✓"));
        assertThat(text.from()).isNull();
        assertThat(text.receipt()).isNull();
    }

    @Test
    void seqsCountUpFromOneInOneEpochAndMatchThePosition() throws Exception {
        String bob = user("bob");
        get(broker.subscribe(bob));
        PublishResult first = get(broker.publish(to(bob, "1")));
        PublishResult second = get(broker.publish(to(bob, "2")));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.epoch()).isEqualTo(first.epoch()).isNotBlank();
        assertThat(get(broker.position(bob))).isEqualTo(new StreamPosition(2, first.epoch()));
        assertThat(listener.publications).extracting(Publication::seq).containsExactly(1L, 2L);
        assertThat(listener.publications).extracting(Publication::epoch).containsOnly(first.epoch());
    }

    @Test
    void aNewUserStartsAtSeqZero() throws Exception {
        StreamPosition position = get(broker.position(user("nobody")));
        assertThat(position.seq()).isZero();
        assertThat(position.epoch()).isNotBlank();
        assertThat(get(broker.position(user("nobody")))).isEqualTo(position);
    }

    @Test
    void publicationsFromOneThreadKeepTheirOrder() throws Exception {
        String bob = user("bob");
        get(broker.subscribe(bob));
        List<CompletableFuture<PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            results.add(broker.publish(to(bob, Integer.toString(i))));
        }
        for (var result : results) {
            get(result);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.publications.size() == 1000);
        List<String> texts = listener.texts();
        for (int i = 0; i < 1000; i++) {
            assertThat(texts.get(i)).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void recoveryReturnsExactlyWhatCameAfterThePosition() throws Exception {
        String bob = user("bob");
        String epoch = null;
        for (int i = 1; i <= 5; i++) {
            epoch = get(broker.publish(to(bob, "m" + i))).epoch();
        }

        Recovery recovery = get(broker.recover(bob, 2, epoch));

        assertThat(recovery.recovered()).isTrue();
        assertThat(recovery.position()).isEqualTo(new StreamPosition(5, epoch));
        assertThat(recovery.missed()).extracting(Publication::seq).containsExactly(3L, 4L, 5L);
        assertThat(recovery.missed()).extracting(p -> new String(p.message().text())).containsExactly("m3", "m4", "m5");
        assertThat(recovery.missed()).extracting(Publication::epoch).containsOnly(epoch);
    }

    @Test
    void recoveryAtTheHeadIsCompleteAndEmpty() throws Exception {
        String bob = user("bob");
        PublishResult last = get(broker.publish(to(bob, "only")));
        Recovery recovery = get(broker.recover(bob, 1, last.epoch()));
        assertThat(recovery.recovered()).isTrue();
        assertThat(recovery.missed()).isEmpty();
    }

    @Test
    void recoveryFromAnotherEpochIsRefusedButReplaysThisEpochAndAheadOfTheStreamGetsNothing() throws Exception {
        String bob = user("bob");
        get(broker.publish(to(bob, "x")));
        PublishResult last = get(broker.publish(to(bob, "y")));

        Recovery otherEpoch = get(broker.recover(bob, 7, "not-" + last.epoch()));
        Recovery ahead = get(broker.recover(bob, 9, last.epoch()));

        assertThat(otherEpoch.recovered()).isFalse();
        assertThat(otherEpoch.missed()).as("it has seen nothing of this epoch: all of it follows")
                .extracting(Publication::seq).containsExactly(1L, 2L);
        assertThat(otherEpoch.position()).isEqualTo(new StreamPosition(2, last.epoch()));
        assertThat(ahead.recovered()).isFalse();
        assertThat(ahead.missed()).isEmpty();
    }

    @Test
    void aUserWithNoConnectionsCountsZero() throws Exception {
        listener.connectionsHere = 0;
        assertThat(get(broker.publish(to(user("ghost"), "hi"))).delivered()).isZero();
    }

    @Test
    void subscribeAndUnsubscribeComplete() throws Exception {
        String bob = user("bob");
        get(broker.subscribe(bob));
        get(broker.unsubscribe(bob));
        get(broker.subscribe(bob));
        assertThat(get(broker.publish(to(bob, "again"))).delivered()).isEqualTo(1);
    }

    @Test
    void subscriptionsAreCounted() throws Exception {
        String bob = user("bob");
        get(broker.subscribe(bob));
        get(broker.subscribe(bob));
        get(broker.unsubscribe(bob));
        assertThat(get(broker.publish(to(bob, "still"))).delivered()).isEqualTo(1);
    }

    @Test
    void aLoneNodesCountsAreItsOwn() throws Exception {
        String bob = user("bob");
        get(broker.subscribe(bob));
        assertThat(get(presence.presence(bob, 2, 1))).isEqualTo(2);
        assertThat(get(presence.connections(bob, 2))).isEqualTo(2);
        assertThat(get(presence.presence(bob, 0, 2))).isZero();
        assertThat(get(presence.connections(user("nobody"), 0))).isZero();
    }

    @Test
    void aDisconnectReachesTheListenerAndIsCounted() throws Exception {
        String bob = user("bob");
        get(broker.subscribe(bob));
        listener.connectionsHere = 2;

        ClusterCount closed = get(broker.disconnect(bob, 4003, "bye"));

        assertThat(closed).isEqualTo(new ClusterCount(2, false));
        assertThat(listener.disconnects).containsExactly(bob + ":4003");
    }

    @Test
    void aReceiptForThisNodesConnectionIsNotRouted() {
        assertThat(broker.routeReceipt(new Publication.ReceiptRequest("nonodeprefix", "r"), "bob", 1, "x-1")).isFalse();
    }
}
