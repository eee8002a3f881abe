package dev.switchboard.transport.it;

import dev.switchboard.server.ServerConfig;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.SteadySender;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recovery after a disconnect ({@code ?since=&epoch=}, docs/PROTOCOL.md): what was missed comes
 * once, in order, before anything live — and when it cannot, the welcome says
 * {@code "recovered":false}: a client of another epoch then gets what the current epoch's history
 * holds from its start, and otherwise nothing is replayed.
 */
class RecoveryTest {
    private static final Duration TTL = Duration.ofMinutes(1);

    @RegisterExtension
    final LiveServer server = new LiveServer();

    private V1Client resume(String userId, long since, String epoch) {
        return server.track(V1Client.resume(server.port(), userId, since, epoch));
    }

    /** Sends {@code count} messages from {@code sender} to bob and checks their acks. */
    private static void sendToBob(V1Client sender, int first, int count, int delivered) {
        for (int i = first; i < first + count; i++) {
            sender.send("r" + i, "bob", "\"m" + i + "\"");
        }
        for (int i = first; i < first + count; i++) {
            V1Frame ack = sender.next("ack");
            assertThat(ack.text("id")).isEqualTo("r" + i);
            assertThat(ack.number("delivered")).isEqualTo(delivered);
        }
    }

    private static void assertWelcome(V1Frame welcome, String epoch, long seq, boolean recovered, long missed) {
        assertThat(welcome.names())
                .containsExactly("type", "connectionId", "userId", "epoch", "seq", "recovered", "missed");
        assertThat(welcome.text("epoch")).isEqualTo(epoch);
        assertThat(welcome.number("seq")).isEqualTo(seq);
        assertThat(welcome.bool("recovered")).isEqualTo(recovered);
        assertThat(welcome.number("missed")).isEqualTo(missed);
    }

    private static void assertMessages(List<V1Frame> messages, long firstSeq) {
        for (int i = 0; i < messages.size(); i++) {
            long seq = firstSeq + i;
            assertThat(messages.get(i).number("seq")).as("message %d of %s", i, messages).isEqualTo(seq);
            assertThat(messages.get(i).text("message")).isEqualTo("m" + seq);
        }
    }

    @Test
    void a_resuming_client_gets_exactly_what_it_missed_in_order_before_any_live_message() {
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        String epoch = bob.epoch();
        sendToBob(alice, 1, 2, 1);
        assertMessages(bob.next("message", 2), 1);
        bob.close();

        sendToBob(alice, 3, 5, 0);
        V1Client back = resume("bob", 2, epoch);
        sendToBob(alice, 8, 1, 1);

        assertWelcome(back.welcome(), epoch, 7, true, 5);
        assertMessages(back.next("message", 6), 3);
        back.assertNothingMore();
    }

    @Test
    void resuming_at_the_latest_seq_recovers_with_nothing_missed() {
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        sendToBob(alice, 1, 3, 1);
        bob.next("message", 3);
        bob.close();

        V1Client back = resume("bob", 3, bob.epoch());
        sendToBob(alice, 4, 1, 1);

        assertWelcome(back.welcome(), bob.epoch(), 3, true, 0);
        assertMessages(back.next("message", 1), 4);
        back.assertNothingMore();
    }

    /**
     * The race the server's ordering exists for: messages keep coming while the recipient drops and
     * comes back, some published between its registration and the read of its history. Every seq
     * must arrive exactly once, in order, across all the connections.
     */
    @Test
    void a_sender_that_keeps_sending_while_the_recipient_reconnects_causes_no_gap_and_no_duplicate()
            throws Exception {
        server.restartWith(TestServers.bulkConfig().toBuilder().historySize(100_000).build());
        V1Client alice = server.v1("alice");
        V1Client bob = server.v1("bob");
        String epoch = bob.epoch();
        try (SteadySender sender = SteadySender.start(alice, "bob")) {
            long last = 0;
            long missedInAll = 0;
            for (int cycle = 0; cycle < 20; cycle++) {
                for (long target = last + 10; last < target; ) {
                    last = expectNext(bob.next(), last);
                }
                if (cycle % 2 == 0) {
                    bob.close(); // every frame sent before the server's close answer is received
                } else {
                    bob.abort(); // the server learns of it later; what arrived so far is what counts
                }
                for (V1Frame frame : bob.pending()) {
                    last = expectNext(frame, last);
                }
                bob = resume("bob", last, epoch);
                V1Frame welcome = bob.welcome();
                assertThat(welcome.bool("recovered")).as("cycle %d: %s", cycle, welcome).isTrue();
                long missed = welcome.number("missed");
                assertThat(welcome.number("seq")).as("cycle %d: %s", cycle, welcome).isEqualTo(last + missed);
                for (long i = 0; i < missed; i++) {
                    V1Frame message = bob.next();
                    assertThat(message.type()).as("missed message %d of %s", i, welcome).isEqualTo("message");
                    last = expectNext(message, last);
                }
                missedInAll += missed;
            }
            long sent = sender.stop();
            while (last < sent) {
                last = expectNext(bob.next(), last);
            }
            assertThat(missedInAll).as("messages published while bob was away").isPositive();
            // Nothing but presence (an aborted connection may be noticed late) before a pong.
            bob.ping("end");
            for (V1Frame frame = bob.next(); !frame.type().equals("pong"); frame = bob.next()) {
                assertThat(frame.type()).as("%s after the last message", frame).isEqualTo("presence");
            }
        }
    }

    /**
     * The next message must be {@code last + 1}. Presence frames may interleave: an aborted
     * connection is unregistered when the server notices, possibly after its successor joined.
     */
    private static long expectNext(V1Frame frame, long last) {
        if (frame.type().equals("presence")) {
            assertThat(frame.text("user")).isEqualTo("bob");
            return last;
        }
        assertThat(frame.type()).as("%s after seq %d", frame, last).isEqualTo("message");
        assertThat(frame.number("seq")).as("%s after seq %d", frame, last).isEqualTo(last + 1);
        assertThat(frame.text("message")).isEqualTo("m" + (last + 1));
        return last + 1;
    }

    @Test
    void recovery_reaches_back_exactly_as_far_as_the_history_size() throws Exception {
        server.restartWith(TestServers.config().toBuilder().historySize(10).build());
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        String epoch = bob.epoch();
        bob.close();
        sendToBob(alice, 1, 10, 0);

        V1Client allKept = resume("bob", 0, epoch);
        assertWelcome(allKept.welcome(), epoch, 10, true, 10);
        assertMessages(allKept.next("message", 10), 1);
        allKept.close();

        sendToBob(alice, 11, 1, 0);
        V1Client oneTooMany = resume("bob", 0, epoch);
        sendToBob(alice, 12, 1, 1);

        // Message 1 is gone: nothing is replayed, and live messages start after the welcome's seq.
        assertWelcome(oneTooMany.welcome(), epoch, 11, false, 0);
        assertMessages(oneTooMany.next("message", 1), 12);
        oneTooMany.assertNothingMore();
    }

    @Test
    void after_a_restart_the_epoch_is_new_and_nothing_is_recovered() throws Exception {
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        sendToBob(alice, 1, 3, 1);
        bob.next("message", 3);
        String oldEpoch = bob.epoch();

        server.restartWith(TestServers.config());
        V1Client back = resume("bob", 3, oldEpoch);
        V1Client sender = server.v1("alice");
        sendToBob(sender, 1, 1, 1);

        assertThat(back.epoch()).isNotBlank().isNotEqualTo(oldEpoch);
        assertWelcome(back.welcome(), back.epoch(), 0, false, 0);
        assertMessages(back.next("message", 1), 1);
        back.assertNothingMore();
    }

    @ParameterizedTest(name = "epoch \"{0}\"")
    @ValueSource(strings = {"not-the-epoch", ""})
    void a_wrong_or_missing_epoch_is_not_recovered_but_gets_the_epochs_history_from_its_start(String wrongEpoch) {
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        sendToBob(alice, 1, 2, 1);
        bob.next("message", 2);
        bob.close();
        sendToBob(alice, 3, 2, 0);

        V1Client back = resume("bob", 2, wrongEpoch.isEmpty() ? null : wrongEpoch);
        sendToBob(alice, 5, 1, 1);

        // A client of another epoch cannot have seen any of this one: it gets all of it, after a
        // welcome that says so, positioned before the first.
        assertWelcome(back.welcome(), bob.epoch(), 0, false, 4);
        assertMessages(back.next("message", 5), 1);
        back.assertNothingMore();
    }

    @Test
    void after_a_restart_a_client_of_the_old_epoch_gets_what_the_new_one_holds() throws Exception {
        String oldEpoch;
        try (var before = TestServers.start(); V1Client bob = V1Client.connect(before.port(), "bob")) {
            oldEpoch = bob.epoch();
        }
        try (var after = TestServers.start(); V1Client alice = V1Client.connect(after.port(), "alice")) {
            sendToBob(alice, 1, 13, 0); // spoken while bob's PC was reconnecting
            try (V1Client back = V1Client.resume(after.port(), "bob", 7, oldEpoch)) {
                assertWelcome(back.welcome(), back.epoch(), 0, false, 13);
                assertThat(back.epoch()).isNotEqualTo(oldEpoch);
                assertMessages(back.next("message", 13), 1);
                sendToBob(alice, 14, 1, 1);
                assertMessages(back.next("message", 1), 14);
                back.assertNothingMore();
            }
        }
    }

    @Test
    void since_ahead_of_the_stream_recovers_nothing() {
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        sendToBob(alice, 1, 2, 1);
        bob.close();

        V1Client back = resume("bob", 3, bob.epoch());
        sendToBob(alice, 3, 1, 1);

        assertWelcome(back.welcome(), bob.epoch(), 2, false, 0);
        assertMessages(back.next("message", 1), 3);
        back.assertNothingMore();
    }

    @ParameterizedTest(name = "since={0}")
    @ValueSource(strings = {"abc", "-1", "1.5", "0x10", "99999999999999999999"})
    void since_that_is_not_an_integer_of_at_least_0_is_refused_with_400(String since) {
        String path = V1Client.resumeUri(server.port(), "bob", since, "e").toString()
                .substring(("ws://127.0.0.1:" + server.port()).length());

        assertThatThrownBy(() -> RawWebSocketClient.connect(server.port(), path,
                Map.of("Sec-WebSocket-Protocol", V1Client.SUBPROTOCOL)))
                .isInstanceOfSatisfying(RawWebSocketClient.HandshakeFailed.class, failed -> {
                    assertThat(failed.status()).isEqualTo(400);
                    Map<String, Object> body = JsonObjects.parseFlat(failed.body());
                    assertThat(body).containsOnlyKeys("error", "code").containsEntry("code", "bad_request");
                    assertThat((String) body.get("error")).contains("since");
                });
        assertThat(server.node().connectionCount()).isZero();
    }

    /** Plain mode cannot resume: it keeps ignoring query parameters it has no use for, as it always did. */
    @ParameterizedTest(name = "since={0}")
    @ValueSource(strings = {"abc", "3"})
    void a_plain_client_is_not_refused_for_a_since_parameter(String since) {
        JdkWebSocketClient bob = server.track(JdkWebSocketClient.connect(V1Client.resumeUri(server.port(), "bob", since, "e")));
        JdkWebSocketClient sender = server.track(JdkWebSocketClient.connect(server.port(), null));
        eventually().until(() -> server.node().connectionCount() == 2);

        sender.send("{\"userId\":\"bob\",\"message\":\"hi\"}");

        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.subprotocol()).isEmpty();
        assertThat(bob.next()).isEqualTo("hi");
    }

    // --- history TTL, on a manual clock -----------------------------------------------------

    private ManualClock clock;
    private ManualScheduler scheduler;

    private void startOnManualClock() throws Exception {
        clock = new ManualClock();
        scheduler = new ManualScheduler();
        // The heartbeat runs with the sweeper: keep it from closing connections while time jumps.
        ServerConfig config = TestServers.bulkConfig().toBuilder().historyTtl(TTL)
                .pingInterval(Duration.ofHours(1)).idleTimeout(Duration.ofHours(2)).build();
        server.restartWith(config, clock, scheduler);
    }

    @Test
    void messages_older_than_the_history_ttl_are_not_recovered_and_newer_ones_are() throws Exception {
        startOnManualClock();
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        String epoch = bob.epoch();
        bob.close();
        sendToBob(alice, 1, 3, 0);
        clock.advance(Duration.ofSeconds(40));
        sendToBob(alice, 4, 1, 0);
        clock.advance(Duration.ofSeconds(30)); // messages 1–3 are 70 s old, message 4 is 30 s old
        scheduler.runAll();

        V1Client fromTheStart = resume("bob", 0, epoch);
        assertWelcome(fromTheStart.welcome(), epoch, 4, false, 0);
        fromTheStart.assertNothingMore();
        fromTheStart.close();

        V1Client fromThree = resume("bob", 3, epoch);
        assertWelcome(fromThree.welcome(), epoch, 4, true, 1);
        V1Frame fourth = fromThree.next("message");
        assertMessages(List.of(fourth), 4);
        assertThat(fourth.number("ts")).isEqualTo(clock.currentTimeMillis() - 30_000);
    }

    @Test
    void a_stream_idle_for_the_ttl_with_no_connection_starts_over_in_a_new_epoch() throws Exception {
        startOnManualClock();
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        String epoch = bob.epoch();
        sendToBob(alice, 1, 1, 1);
        bob.next("message");
        bob.close(); // returns after the server unregistered bob: it answers the close last
        clock.advance(TTL.plusSeconds(1));
        scheduler.runAll();

        V1Client back = resume("bob", 1, epoch);
        sendToBob(alice, 1, 1, 1);

        assertThat(back.epoch()).isNotBlank().isNotEqualTo(epoch);
        assertWelcome(back.welcome(), back.epoch(), 0, false, 0);
        assertMessages(back.next("message", 1), 1);
    }

    @Test
    void messages_younger_than_the_ttl_are_still_recovered_after_a_sweep() throws Exception {
        startOnManualClock();
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        String epoch = bob.epoch();
        bob.close();
        sendToBob(alice, 1, 2, 0);
        clock.advance(TTL.minusSeconds(1));
        scheduler.runAll();

        V1Client back = resume("bob", 0, epoch);

        assertWelcome(back.welcome(), epoch, 2, true, 2);
        assertMessages(back.next("message", 2), 1);
    }

    /**
     * "The epoch changes when U's stream expired after --history-ttl with no messages and no
     * connections": a user who was connected through a long quiet spell and drops for a moment
     * has lost nothing, and must not be told to resynchronise.
     */
    @Test
    void a_stream_outlives_its_last_connection_by_the_ttl() throws Exception {
        startOnManualClock();
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");
        String epoch = bob.epoch();
        sendToBob(alice, 1, 1, 1);
        bob.next("message");
        clock.advance(TTL.multipliedBy(5)); // connected, and quiet
        scheduler.runAll();
        bob.close();
        clock.advance(TTL.minusSeconds(1));
        scheduler.runAll();

        V1Client back = resume("bob", 1, epoch);
        assertWelcome(back.welcome(), epoch, 1, true, 0);
        back.close();
        clock.advance(TTL);
        scheduler.runAll();

        V1Client muchLater = resume("bob", 1, epoch);
        assertThat(muchLater.epoch()).isNotEqualTo(epoch);
        assertWelcome(muchLater.welcome(), muchLater.epoch(), 0, false, 0);
    }
}
