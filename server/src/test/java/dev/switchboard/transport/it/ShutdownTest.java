package dev.switchboard.transport.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Closer;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rule 7, in process: {@link SwitchboardServer#close()} — what SIGTERM runs — closes every client
 * with 1001 "going away" and returns within {@code --shutdown-timeout}. The real-process variant
 * is {@link MainProcessTest}.
 */
class ShutdownTest {
    private final Closer clients = new Closer();

    @AfterEach
    void closeClients() throws Exception {
        clients.close();
    }

    @Test
    void close_sends_1001_going_away_to_every_client_and_returns_within_the_shutdown_timeout() throws Exception {
        SwitchboardServer server = TestServers.start();
        int port = server.port();
        List<JdkWebSocketClient> jdk = List.of(
                clients.keep(JdkWebSocketClient.connect(port, "bob")),
                clients.keep(JdkWebSocketClient.connect(port, "bob")),
                clients.keep(JdkWebSocketClient.connect(port, "alice")),
                clients.keep(JdkWebSocketClient.connect(port, null)));
        List<RawWebSocketClient> raw = List.of(
                clients.keep(RawWebSocketClient.connect(port, "/?userId=carol")),
                clients.keep(RawWebSocketClient.connect(port, "/ws")));
        eventually().until(() -> server.node().connectionCount() == 6);

        long started = System.nanoTime();
        server.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(TestServers.SHUTDOWN_TIMEOUT);
        for (JdkWebSocketClient client : jdk) {
            assertThat(client.awaitClose()).isEqualTo(new CloseStatus(1001, "going away"));
        }
        for (RawWebSocketClient client : raw) {
            assertThat(client.awaitClose()).isEqualTo(new CloseStatus(1001, "going away"));
            assertThat(client.awaitEndOfStream()).isTrue();
        }
        assertThat(server.node().connectionCount()).isZero();
        assertThat(server.node().users()).isZero();
    }

    @Test
    void after_close_the_port_takes_no_new_connections() throws Exception {
        SwitchboardServer server = TestServers.start();
        int port = server.port();

        server.close();

        assertThatThrownBy(() -> RawWebSocketClient.connect(port, "/?userId=bob"))
                .isInstanceOfAny(ConnectException.class, IOException.class);
    }

    @Test
    void close_is_idempotent() throws Exception {
        SwitchboardServer server = TestServers.start();
        JdkWebSocketClient bob = clients.keep(JdkWebSocketClient.connect(server.port(), "bob"));

        server.close();
        server.close();

        assertThat(bob.awaitClose().code()).isEqualTo(1001);
    }

    @Test
    void close_stops_the_heartbeat() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        SwitchboardServer server = TestServers.start(TestServers.config(), new ManualClock(), scheduler);
        assertThat(scheduler.liveTasks()).isNotEmpty();

        server.close();

        assertThat(scheduler.liveTasks()).isEmpty();
        assertThat(scheduler.allTasks()).allMatch(ManualScheduler.Task::isCancelled);
    }

    @Test
    void a_client_that_ignores_the_close_frame_does_not_hold_up_the_shutdown() throws Exception {
        SwitchboardServer server = TestServers.start();
        // Never reads and never answers the close: the server must not wait for its reply.
        clients.keep(RawWebSocketClient.connect(server.port(), "/?userId=mute"));
        JdkWebSocketClient bob = clients.keep(JdkWebSocketClient.connect(server.port(), "bob"));
        eventually().until(() -> server.node().connectionCount() == 2);

        long started = System.nanoTime();
        server.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TestServers.SHUTDOWN_TIMEOUT);
        assertThat(bob.awaitClose().code()).isEqualTo(1001);
    }
}
