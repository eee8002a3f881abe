package dev.switchboard.transport.it;

import dev.switchboard.hub.Session;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.testing.Eventually.eventually;
import static dev.switchboard.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 6: the server pings a connection after {@code --ping-interval} (25 s) without frames from
 * it, and closes one that sent nothing — no frame, no pong — for {@code --idle-timeout} (60 s) with
 * 4000 "idle timeout". Time is a {@link ManualClock}; the heartbeat runs only when the test runs
 * the {@link ManualScheduler}, so minutes pass in milliseconds and nothing races the clock.
 */
class HeartbeatTest {
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private SwitchboardServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(TestServers.config(), clock, scheduler);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        server.close();
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    /** Moves time, then lets the heartbeat look at every connection once. */
    private void advanceAndTick(Duration amount) {
        clock.advance(amount);
        scheduler.runAll();
    }

    private Session onlySession(String userId) {
        eventually().until(() -> server.node().localConnections(userId) == 1);
        return server.node().localSessions(userId).get(0);
    }

    /** A raw client registered as carol: it never answers pings unless the test does. */
    private RawWebSocketClient carol() throws Exception {
        RawWebSocketClient carol = track(RawWebSocketClient.connect(server.port(), "/?userId=carol"));
        onlySession("carol");
        return carol;
    }

    /**
     * Queues a message to carol from another connection. Frames to one connection keep their
     * order, so whatever the heartbeat queued for carol before this arrives before it; and a
     * delivery to carol is not activity of carol's.
     */
    private void syncCarol(JdkWebSocketClient sender, String marker) {
        sender.send("{\"userId\":\"carol\",\"message\":\"" + marker + "\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"carol\",\"delivered\":1}");
    }

    @Test
    void the_heartbeat_is_scheduled_on_the_injected_scheduler_well_below_the_ping_interval() {
        assertThat(scheduler.liveTasks()).isNotEmpty();
        assertThat(scheduler.liveTasks()).anySatisfy(task ->
                assertThat(task.period()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(25).dividedBy(4)));
    }

    @Test
    void a_connection_silent_for_the_idle_timeout_is_closed_with_4000() {
        JdkWebSocketClient alice = track(JdkWebSocketClient.connect(server.port(), "alice"));
        onlySession("alice");

        advanceAndTick(Duration.ofSeconds(61));

        CloseStatus close = alice.awaitClose();
        assertThat(close.code()).isEqualTo(4000);
        assertThat(close.reason()).isEqualTo("idle timeout");
        // Unregistered before the close frame went out.
        assertThat(server.node().localSessions("alice")).isEmpty();
        assertThat(server.node().users()).isZero();
        assertThat(server.node().connectionCount()).isZero();
    }

    @Test
    void the_server_pings_once_the_ping_interval_has_passed_without_frames() throws Exception {
        RawWebSocketClient carol = carol();
        JdkWebSocketClient sender = track(JdkWebSocketClient.connect(server.port(), null));

        advanceAndTick(Duration.ofSeconds(24));
        syncCarol(sender, "sync at 24s");
        assertThat(carol.readText()).as("no ping before the interval").isEqualTo("sync at 24s");

        advanceAndTick(Duration.ofSeconds(1));
        RawWebSocketClient.Frame ping = carol.readFrame();
        assertThat(ping.opcode()).isEqualTo(RawWebSocketClient.PING);
        assertThat(ping.payload().length).isLessThanOrEqualTo(125);
    }

    @Test
    void a_client_that_never_answers_pings_is_closed_at_the_idle_timeout_not_before() throws Exception {
        RawWebSocketClient carol = carol();
        JdkWebSocketClient sender = track(JdkWebSocketClient.connect(server.port(), null));

        advanceAndTick(Duration.ofSeconds(25));
        assertThat(carol.readFrame().opcode()).isEqualTo(RawWebSocketClient.PING);
        advanceAndTick(Duration.ofSeconds(34)); // 59 s of silence
        syncCarol(sender, "still open at 59s");
        assertThat(carol.readFrame().opcode()).isEqualTo(RawWebSocketClient.PING);
        assertThat(carol.readText()).isEqualTo("still open at 59s");

        advanceAndTick(Duration.ofSeconds(1)); // 60 s

        CloseStatus close = carol.awaitClose();
        assertThat(close.code()).isEqualTo(4000);
        assertThat(close.reason()).isEqualTo("idle timeout");
        assertThat(server.node().localSessions("carol")).isEmpty();
        assertThat(carol.awaitEndOfStream()).isTrue();
    }

    @Test
    void a_client_that_answers_pings_stays_open_across_many_ping_intervals() {
        JdkWebSocketClient alice = track(JdkWebSocketClient.connect(server.port(), "alice"));
        Session session = onlySession("alice");

        // 5 × 25 s = 125 s, twice the idle timeout; alice sends nothing but pongs.
        for (int i = 1; i <= 5; i++) {
            advanceAndTick(Duration.ofSeconds(25));
            alice.nextPing();
            long now = clock.nanoTime();
            eventually().alias("the pong to ping " + i + " reaches the server")
                    .until(() -> session.lastActivityNanos() == now);
        }

        assertThat(alice.isClosed()).isFalse();
        assertThat(server.node().localSessions("alice")).containsExactly(session);
        alice.send("{\"userId\":\"alice\",\"message\":\"still here\"}");
        assertThat(alice.next(2)).containsExactlyInAnyOrder("still here", "{\"userId\":\"alice\",\"delivered\":1}");
    }

    @Test
    void data_frames_count_as_activity_for_a_client_that_never_pongs() throws Exception {
        RawWebSocketClient carol = carol();

        for (int i = 0; i < 5; i++) {
            advanceAndTick(Duration.ofSeconds(20)); // below the ping interval: no ping
            carol.sendText("{\"userId\":\"nobody\",\"message\":\"tick " + i + "\"}");
            assertThat(carol.readText()).isEqualTo("{\"userId\":\"nobody\",\"delivered\":0}");
        }
        assertThat(server.node().localSessions("carol")).hasSize(1);

        advanceAndTick(Duration.ofSeconds(60));
        assertThat(carol.awaitClose().code()).isEqualTo(4000);
    }

    @Test
    void a_client_ping_is_answered_with_a_pong_carrying_the_same_payload() throws Exception {
        JdkWebSocketClient alice = track(JdkWebSocketClient.connect(server.port(), "alice"));
        RawWebSocketClient carol = carol();
        byte[] largest = new byte[125];
        for (int i = 0; i < largest.length; i++) {
            largest[i] = (byte) i;
        }

        alice.ping("你好".getBytes(StandardCharsets.UTF_8));
        carol.sendPing(largest);
        carol.sendPing(new byte[0]);

        assertThat(alice.nextPong()).isEqualTo("你好".getBytes(StandardCharsets.UTF_8));
        RawWebSocketClient.Frame pong = carol.readFrame();
        assertThat(pong.opcode()).isEqualTo(RawWebSocketClient.PONG);
        assertThat(pong.fin()).isTrue();
        assertThat(pong.payload()).isEqualTo(largest);
        RawWebSocketClient.Frame empty = carol.readFrame();
        assertThat(empty.opcode()).isEqualTo(RawWebSocketClient.PONG);
        assertThat(empty.payload()).isEmpty();
    }

    @Test
    void an_unsolicited_pong_counts_as_activity() throws Exception {
        RawWebSocketClient carol = carol();
        Session session = onlySession("carol");

        advanceAndTick(Duration.ofSeconds(50));
        assertThat(carol.readFrame().opcode()).isEqualTo(RawWebSocketClient.PING);
        carol.sendPong(new byte[] {1}); // RFC 6455 5.5.3: a pong may be sent unsolicited
        long now = clock.nanoTime();
        eventually().until(() -> session.lastActivityNanos() == now);

        advanceAndTick(Duration.ofSeconds(20)); // 70 s since connecting, 20 s since the pong
        assertThat(server.node().localSessions("carol")).containsExactly(session);
    }

    /** The production wiring: the server's own timer thread drives the same heartbeat. */
    @Test
    void with_the_real_clock_a_silent_client_is_closed_and_a_ponging_one_is_not() throws Exception {
        try (SwitchboardServer fast = TestServers.start(TestServers.config()
                .withHeartbeat(Duration.ofMillis(200), Duration.ofMillis(1500)))) {
            JdkWebSocketClient pongs = track(JdkWebSocketClient.connect(fast.port(), "alice"));
            RawWebSocketClient silent = track(RawWebSocketClient.connect(fast.port(), "/?userId=carol"));

            within(Duration.ofSeconds(5)).until(() -> fast.node().localConnections("carol") == 0);

            assertThat(silent.awaitClose().code()).isEqualTo(4000);
            assertThat(pongs.isClosed()).isFalse();
            assertThat(pongs.nextPing()).isNotNull();
            assertThat(fast.node().localSessions("alice")).hasSize(1);
        }
    }
}
