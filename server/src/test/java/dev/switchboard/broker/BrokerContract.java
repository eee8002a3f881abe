package dev.switchboard.broker;

import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;
import dev.switchboard.core.PublishResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guarantees every {@link Broker} must keep, run against each implementation by a subclass.
 * The listener stands in for a node's hub: it records publications and reports a count.
 */
public abstract class BrokerContract {
    protected Broker broker;
    protected final List<Publication> received = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile int connectionsHere = 1;

    protected abstract Broker newBroker();

    @BeforeEach
    void startBroker() throws Exception {
        broker = newBroker();
        broker.start(publication -> {
            received.add(publication);
            return connectionsHere;
        }).get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    private static Publication to(String user, String text) {
        return new Publication(user, Message.ofString(text), "alice");
    }

    @Test
    void aPublicationReachesTheListenerOfASubscribedUserWithItsCount() throws Exception {
        broker.subscribe("bob").get(5, TimeUnit.SECONDS);
        connectionsHere = 3;

        PublishResult result = broker.publish(to("bob", "hi")).get(5, TimeUnit.SECONDS);

        assertThat(result.delivered()).isEqualTo(3);
        assertThat(received).extracting(Publication::userId).containsExactly("bob");
        assertThat(received.get(0).from()).isEqualTo("alice");
    }

    @Test
    void publicationsFromOneThreadKeepTheirOrder() throws Exception {
        broker.subscribe("bob").get(5, TimeUnit.SECONDS);
        List<java.util.concurrent.CompletableFuture<PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            results.add(broker.publish(to("bob", Integer.toString(i))));
        }
        for (var result : results) {
            result.get(5, TimeUnit.SECONDS);
        }
        List<String> texts = new ArrayList<>();
        synchronized (received) {
            for (Publication p : received) {
                texts.add(new String(p.message().text(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        assertThat(texts).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(texts.get(i)).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void aUserWithNoConnectionsCountsZero() throws Exception {
        connectionsHere = 0;
        assertThat(broker.publish(to("ghost", "hi")).get(5, TimeUnit.SECONDS).delivered()).isZero();
    }

    @Test
    void subscribeAndUnsubscribeComplete() throws Exception {
        broker.subscribe("bob").get(5, TimeUnit.SECONDS);
        broker.unsubscribe("bob").get(5, TimeUnit.SECONDS);
        broker.subscribe("bob").get(5, TimeUnit.SECONDS);
        assertThat(broker.publish(to("bob", "again")).get(5, TimeUnit.SECONDS).delivered()).isEqualTo(1);
    }
}
