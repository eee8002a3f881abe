package dev.switchboard.client;

import dev.switchboard.testing.ChaosProxy;
import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.Servers;
import dev.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What the client does when connections drop: resume, resync, fail or keep requests, detect dead
 * connections, and stop when it should. Each test has its own server (some restart it).
 */
class ReconnectTest {
    private SwitchboardServer server;
    private ChaosProxy proxy;
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = Servers.start();
        proxy = ChaosProxy.start(server.port());
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(SwitchboardClient::close);
        proxy.close();
        server.close();
    }

    private SwitchboardClient connect(URI uri, String userId, Recorder recorder, ClientOptions options)
            throws Exception {
        SwitchboardClient client = recorder.attach(SwitchboardClient.builder(uri).userId(userId).options(options))
                .build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    private SwitchboardClient connect(URI uri, String userId, Recorder recorder) throws Exception {
        return connect(uri, userId, recorder, Servers.fastOptions());
    }

    @Test
    void afterAServerRestartTheNewEpochIsReportedAsAResyncAndDeliveryGoesOn() throws Exception {
        int port = server.port();
        Recorder bobs = new Recorder();
        connect(Servers.uri(port), "bob", bobs);
        SwitchboardClient alice = connect(Servers.uri(port), "alice", new Recorder());
        for (int i = 0; i < 3; i++) {
            alice.send("bob", "before " + i).get(5, TimeUnit.SECONDS);
        }
        await().until(() -> bobs.messageCount() == 3);

        server.close();
        server = Servers.start(config -> config.port(port));

        await().atMost(Duration.ofSeconds(10)).until(() -> bobs.resyncs().size() == 1);
        Resync resync = bobs.resyncs().get(0);
        assertThat(resync.previousSeq()).isEqualTo(3);
        assertThat(resync.epoch()).isNotNull().isNotEqualTo(resync.previousEpoch());
        assertThat(resync.seq()).isZero();
        assertThat(bobs.states()).anySatisfy(change -> {
            assertThat(change.state()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(change.closeCode()).isEqualTo(1001); // going away: the server shut down
        });

        // The old sender reconnected too; what it sends now starts the new epoch at seq 1.
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.state() == ConnectionState.OPEN);
        assertThat(alice.send("bob", "after").get(5, TimeUnit.SECONDS).seq()).isEqualTo(1);
        await().until(() -> bobs.messageCount() == 4);
        assertThat(bobs.messages().get(3).seq()).isEqualTo(1);
        assertThat(bobs.messages().get(3).text()).isEqualTo("after");
    }

    @Test
    void afterARestartWhatTheNewEpochHoldsFollowsTheResyncInOrder() throws Exception {
        int port = server.port();
        Recorder bobs = new Recorder();
        SwitchboardClient bob = connect(proxy.uri(), "bob", bobs);
        SwitchboardClient alice = connect(Servers.uri(port), "alice", new Recorder());
        alice.send("bob", "before").get(5, TimeUnit.SECONDS);
        await().until(() -> bobs.messageCount() == 1);

        proxy.refuseNew(true); // bob's PC stays away while the phone goes on
        server.close();
        server = Servers.start(config -> config.port(port));
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.state() == ConnectionState.OPEN);
        for (int i = 1; i <= 3; i++) {
            assertThat(alice.send("bob", "spoken " + i).get(5, TimeUnit.SECONDS).delivered()).isZero();
        }
        proxy.refuseNew(false);

        await().atMost(Duration.ofSeconds(10)).until(() -> bobs.messageCount() == 4);
        assertThat(bobs.resyncs()).hasSize(1);
        assertThat(bobs.resyncs().get(0).seq()).as("positioned before the new epoch's first message").isZero();
        assertThat(bobs.messages().subList(1, 4)).extracting(Message::seq, Message::text).containsExactly(
                tuple(1L, "spoken 1"), tuple(2L, "spoken 2"), tuple(3L, "spoken 3"));
        assertThat(bob.state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void aSendInFlightWhenTheConnectionDropsIsResentAndDeliveredOnce() throws Exception {
        Recorder bobs = new Recorder();
        connect(Servers.uri(server), "bob", bobs);
        Recorder alices = new Recorder();
        SwitchboardClient alice = connect(proxy.uri(), "alice", alices);
        proxy.freezeAll();

        long before = proxy.clientBytes();
        CompletableFuture<Ack> inFlight = alice.send("bob", "lost in transit");
        // Written: the proxy holds its bytes, so the server never sees them.
        await().until(() -> proxy.clientBytes() > before);
        proxy.cutAll();

        assertThat(inFlight.get(5, TimeUnit.SECONDS)).as("written again on the next connection")
                .isEqualTo(new Ack("bob", 1, 1));
        // The ack completes on the client's thread, the OPEN reaches the listeners on theirs: wait for it.
        await().until(() -> alices.count(ConnectionState.OPEN) == 2);
        Ack next = alice.send("bob", "after the drop").get(5, TimeUnit.SECONDS);
        assertThat(next.seq()).isEqualTo(2);
        await().until(() -> bobs.messageCount() == 2);
        assertThat(bobs.messages()).extracting(Message::text).containsExactly("lost in transit", "after the drop");
    }

    @Test
    void aSendWhoseAckWasLostIsResentAndAnsweredAsADuplicate() throws Exception {
        Recorder bobs = new Recorder();
        connect(Servers.uri(server), "bob", bobs);
        SwitchboardClient alice = connect(proxy.uri(), "alice", new Recorder());
        proxy.blackHole(ChaosProxy.Direction.DOWN);

        CompletableFuture<Ack> sent = alice.send("bob", "delivered, ack lost");
        await().until(() -> bobs.messageCount() == 1); // the server has it; its ack vanishes
        proxy.cutAll();

        Ack ack = sent.get(5, TimeUnit.SECONDS);
        assertThat(ack.duplicate()).isTrue();
        assertThat(ack.seq()).isEqualTo(1);
        assertThat(ack.delivered()).isEqualTo(1);
        assertThat(alice.send("bob", "next").get(5, TimeUnit.SECONDS).seq()).isEqualTo(2);
        await().until(() -> bobs.messageCount() == 2);
        assertThat(bobs.messages()).extracting(Message::text).containsExactly("delivered, ack lost", "next");
    }

    @Test
    void requestsMadeWhileDisconnectedWaitAndAreSentOnceReconnected() throws Exception {
        Recorder bobs = new Recorder();
        connect(Servers.uri(server), "bob", bobs);
        Recorder alices = new Recorder();
        SwitchboardClient alice = connect(proxy.uri(), "alice", alices);
        proxy.refuseNew(true);
        proxy.cutAll();
        await().until(() -> alice.state() != ConnectionState.OPEN);

        CompletableFuture<Ack> queued = alice.send("bob", "sent when back");
        CompletableFuture<Presence> query = alice.presence("bob");
        int refusedSoFar = proxy.accepted();
        await().until(() -> proxy.accepted() >= refusedSoFar + 2); // attempts keep failing meanwhile
        assertThat(queued).isNotDone();
        proxy.refuseNew(false);

        assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo(new Ack("bob", 1, 1));
        assertThat(query.get(5, TimeUnit.SECONDS)).isEqualTo(new Presence("bob", true, 1));
        await().until(() -> bobs.messageCount() == 1);
        await().until(() -> alices.count(ConnectionState.OPEN) == 2); // told on the listeners' thread
    }

    @Test
    void aQueryWithoutAnAnswerTimesOutSayingWhetherItWasSentWhileASendWaits() throws Exception {
        ClientOptions quick = Servers.fastOptions().withRequestTimeout(Duration.ofMillis(300));
        SwitchboardClient alice = connect(proxy.uri(), "alice", new Recorder(), quick);
        proxy.freezeAll();

        assertThatThrownBy(() -> alice.presence("bob").get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(TimeoutException.class).hasMessageContaining("sent; outcome unknown");

        proxy.refuseNew(true);
        proxy.cutAll();
        await().until(() -> alice.state() != ConnectionState.OPEN);
        assertThatThrownBy(() -> alice.presence("bob").get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(TimeoutException.class).hasMessageContaining("never sent");
        CompletableFuture<Ack> waiting = alice.send("bob", "waits for a connection");
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)) // twice the request timeout
                .until(() -> !waiting.isDone());
        proxy.refuseNew(false);
        assertThat(waiting.get(5, TimeUnit.SECONDS).seq()).isEqualTo(1);
    }

    @Test
    void aHalfOpenConnectionIsNoticedByThePingAndReplaced() throws Exception {
        // Not much shorter: on a loaded machine a pong can take a while, and one that takes a whole
        // interval kills a healthy connection.
        ClientOptions pinging = Servers.fastOptions().withPingInterval(Duration.ofMillis(500));
        Recorder alices = new Recorder();
        SwitchboardClient alice = connect(proxy.uri(), "alice", alices, pinging);

        // Healthy but quiet: the pings are answered, the connection stays.
        await().during(Duration.ofMillis(1_200)).atMost(Duration.ofSeconds(3))
                .until(() -> alices.count(ConnectionState.OPEN) == 1);
        proxy.freezeAll();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(alices.count(ConnectionState.OPEN)).as("%s", alices.states()).isEqualTo(2));
        assertThat(alices.states()).anySatisfy(change -> {
            assertThat(change.state()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(change.reason()).contains("nothing heard from the server");
        });
        // The server still counts the frozen connection until its own idle timeout: 1 or 2.
        assertThat(alice.send("alice", "still works").get(5, TimeUnit.SECONDS).delivered()).isPositive();
    }

    @Test
    void closeStopsReconnectingAndFailsWaitingRequests() throws Exception {
        int port = server.port();
        Recorder bobs = new Recorder();
        SwitchboardClient bob = connect(Servers.uri(port), "bob", bobs);
        server.close();
        await().until(() -> bobs.count(ConnectionState.CONNECTING) >= 3); // retrying against a dead port
        CompletableFuture<Ack> waiting = bob.send("alice", "never");

        bob.close();

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(ClientClosedException.class);
        bobs.awaitClosed(Duration.ofSeconds(10));
        long attempts = bobs.count(ConnectionState.CONNECTING);
        server = Servers.start(config -> config.port(port));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                server.node().connectionCount() == 0 && bobs.count(ConnectionState.CONNECTING) == attempts);
        assertThat(bob.state()).isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void anOperatorDisconnectClosesTheClientByDefault() throws Exception {
        Recorder bobs = new Recorder();
        SwitchboardClient bob = connect(Servers.uri(server), "bob", bobs);

        server.node().disconnect("bob", 4003, "disconnected by the server API");

        StateChange last = bobs.awaitClosed(Duration.ofSeconds(10));
        assertThat(bob.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(last.closeCode()).isEqualTo(4003);
        assertThat(last.error()).hasMessageContaining("terminal close code");
        assertThat(bobs.count(ConnectionState.CONNECTING)).isEqualTo(1);
    }

    @Test
    void withNoTerminalCodesTheClientComesBackAfterAnOperatorDisconnect() throws Exception {
        Recorder bobs = new Recorder();
        ClientOptions persistent = Servers.fastOptions().withTerminalCloseCodes(Set.of());
        connect(Servers.uri(server), "bob", bobs, persistent);

        server.node().disconnect("bob", 4003, "disconnected by the server API");

        await().until(() -> bobs.count(ConnectionState.OPEN) == 2);
        assertThat(bobs.states()).anySatisfy(change -> assertThat(change.closeCode()).isEqualTo(4003));
    }
}
