package dev.switchboard.transport.it;

import dev.switchboard.hub.Heartbeat;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import dev.switchboard.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --max-connection-age}: a connection this old is closed with 1012 (each between 90% and 100%
 * of the age), so clients reconnect — behind a load balancer, maybe to a newer node — and a v1
 * client's resume loses nothing. Off by default. Time is a {@link ManualClock}.
 */
class ConnectionAgeTest {
    @RegisterExtension
    final LiveServer server = new LiveServer();
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler();

    @Test
    void connectionsAreClosedWith1012AtTheirAgeAndAV1ClientResumesWithoutLoss() throws Exception {
        server.restartWith(TestServers.config().toBuilder()
                        // Silence is no reason here (the manual clock jumps): only age.
                        .pingInterval(Duration.ofHours(1)).idleTimeout(Duration.ofHours(2))
                        .maxConnectionAge(Duration.ofMinutes(10)).build(),
                clock, scheduler);
        V1Client bob = server.v1("bob");
        JdkWebSocketClient plain = server.plain("carol");
        V1Client alice = server.v1("alice");
        alice.send("s1", "bob", "\"before\"");
        assertThat(bob.next("message").number("seq")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(539)); // under 90%: nobody closed
        scheduler.runAll();
        bob.ping("still-open");
        assertThat(bob.next("pong").text("id")).isEqualTo("still-open");

        clock.advance(Duration.ofSeconds(61)); // at 100%: everyone
        scheduler.runAll();
        CloseStatus expected = new CloseStatus(1012, Heartbeat.AGE_LIMIT_REASON);
        assertThat(bob.socket().awaitClose()).isEqualTo(expected);
        assertThat(plain.awaitClose()).isEqualTo(expected);

        alice = server.v1("alice");
        alice.send("s2", "bob", "\"while bob moved\"");
        alice.next("ack");
        V1Client back = server.track(V1Client.resume(server.port(), "bob", 1, bob.epoch()));
        V1Frame welcome = back.welcome();
        assertThat(welcome.bool("recovered")).isTrue();
        assertThat(back.next("message").text("message")).isEqualTo("while bob moved");
    }
}
