package dev.switchboard.security.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbound rate limit per connection: a token bucket of {@code --message-burst} tokens refilled
 * at {@code --max-messages-per-second}. A message over it is dropped and answered with an error
 * frame ({@code rate_limited}); more than {@code --message-burst} refusals in a row close the
 * connection with 1008 "rate limit exceeded". The bucket reads the injected {@link ManualClock},
 * so no token refills unless the test moves time: the counts are exact.
 */
class RateLimitTest {
    private static final int BURST = 3;

    private final ManualClock clock = new ManualClock();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private SwitchboardServer server;
    private JdkWebSocketClient bob;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(TestServers.config().toBuilder()
                .maxMessagesPerSecond(2).messageBurst(BURST).build(), clock, new ManualScheduler());
        bob = track(JdkWebSocketClient.connect(server.port(), "bob"));
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

    private RawWebSocketClient sender() throws Exception {
        return track(RawWebSocketClient.connect(server.port(), "/"));
    }

    private static List<String> sends(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> "{\"userId\":\"bob\",\"message\":\"m" + i + "\"}").toList();
    }

    private static void assertAcks(RawWebSocketClient sender, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            assertThat(sender.readText()).as("ack %d", i).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        }
    }

    private static void assertRateLimited(RawWebSocketClient sender, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            JsonErrors.assertError(sender.readText(), "rate_limited");
        }
    }

    /** Bob's next messages are exactly {@code expected} and then a marker: nothing else got through. */
    private void assertBobReceivedExactly(List<String> expected) throws Exception {
        assertThat(bob.next(expected.size())).containsExactlyElementsOf(expected);
        try (RawWebSocketClient marker = RawWebSocketClient.connect(server.port(), "/")) {
            marker.sendText("{\"userId\":\"bob\",\"message\":\"marker\"}");
            assertThat(marker.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        }
        assertThat(bob.next()).isEqualTo("marker");
    }

    @Test
    void over_the_burst_messages_are_refused_and_more_than_burst_refusals_in_a_row_close_with_1008() throws Exception {
        RawWebSocketClient sender = sender();

        sender.sendTexts(sends(0, 10));

        assertAcks(sender, BURST);
        assertRateLimited(sender, BURST);
        assertThat(sender.awaitClose()).isEqualTo(new CloseStatus(1008, "rate limit exceeded"));
        assertThat(sender.awaitEndOfStream()).isTrue();
        eventually().until(() -> server.node().connectionCount() == 1);
        assertBobReceivedExactly(List.of("m0", "m1", "m2"));
    }

    @Test
    void a_refused_message_leaves_the_connection_open_and_refilled_tokens_are_usable() throws Exception {
        RawWebSocketClient sender = sender();
        sender.sendTexts(sends(0, BURST + 2));
        assertAcks(sender, BURST);
        assertRateLimited(sender, 2);

        clock.advance(Duration.ofMillis(500)); // 2 per second: one token
        sender.sendTexts(sends(5, 2));

        assertAcks(sender, 1);
        assertRateLimited(sender, 1);
        assertBobReceivedExactly(List.of("m0", "m1", "m2", "m5"));
    }

    @Test
    void an_allowed_message_resets_the_refusals_in_a_row() throws Exception {
        RawWebSocketClient sender = sender();
        sender.sendTexts(sends(0, BURST + BURST));
        assertAcks(sender, BURST);
        assertRateLimited(sender, BURST); // one more refusal now would close

        clock.advance(Duration.ofMillis(500));
        sender.sendTexts(sends(6, 1 + BURST));
        assertAcks(sender, 1);
        assertRateLimited(sender, BURST); // counted from zero again: still open

        sender.sendText("{\"userId\":\"bob\",\"message\":\"one too many\"}");
        assertThat(sender.awaitClose()).isEqualTo(new CloseStatus(1008, "rate limit exceeded"));
        assertBobReceivedExactly(List.of("m0", "m1", "m2", "m6"));
    }

    @Test
    void the_limit_is_per_connection() throws Exception {
        RawWebSocketClient first = sender();
        RawWebSocketClient second = sender();

        first.sendTexts(sends(0, BURST + 1));
        assertAcks(first, BURST);
        assertRateLimited(first, 1);
        second.sendTexts(sends(10, BURST));

        assertAcks(second, BURST);
        assertBobReceivedExactly(List.of("m0", "m1", "m2", "m10", "m11", "m12"));
    }
}
