package dev.switchboard.security.it;

import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every outbound queue is bounded: a client that does not read while megabytes are sent to it is
 * closed with 4008 "slow consumer" once what waits to be written to it exceeds
 * {@code --max-outbound-bytes}. Meanwhile the server stays responsive and other users keep
 * receiving. The slow client is a raw socket with a tiny receive buffer that reads nothing.
 */
class SlowConsumerTest {
    private static final int MAX_OUTBOUND_BYTES = 64 * 1024;
    private static final int MESSAGE_CHARS = 32 * 1024;
    /** Several times what the kernel buffers on both sides can hold: reaching it means the limit did not work. */
    private static final long GIVE_UP_AFTER_BYTES = 32L * 1024 * 1024;

    @RegisterExtension
    final LiveServer server = new LiveServer(() -> TestServers.bulkConfig().toBuilder()
                .maxOutboundBytes(MAX_OUTBOUND_BYTES)
                // Long enough for the slow client to read its backlog and see the close frame.
                .closeTimeout(Duration.ofSeconds(10))
                .build());

    @Test
    void a_client_that_does_not_read_is_closed_with_4008_while_others_keep_receiving() throws Exception {
        RawWebSocketClient slow = server.track(RawWebSocketClient.connect(server.port(), "/?userId=slow", Map.of(), 4096));
        JdkWebSocketClient fast = server.track(JdkWebSocketClient.connect(server.port(), "fast"));
        RawWebSocketClient sender = server.track(RawWebSocketClient.connect(server.port(), "/"));
        String payload = "s".repeat(MESSAGE_CHARS);
        List<String> toSlow = Collections.nCopies(8, "{\"userId\":\"slow\",\"message\":\"" + payload + "\"}");

        long sentToSlow = 0;
        int round = 0;
        while (server.node().localConnections("slow") > 0) {
            assertThat(sentToSlow).as("bytes sent to the slow client before it was cut off")
                    .isLessThan(GIVE_UP_AFTER_BYTES);
            sender.sendTexts(toSlow);
            for (int i = 0; i < toSlow.size(); i++) {
                assertThat(sender.readText()).matches("\\{\"userId\":\"slow\",\"delivered\":[01]}");
            }
            sentToSlow += (long) toSlow.size() * MESSAGE_CHARS;
            // During the flood: another user still gets its messages, and HTTP still answers.
            sender.sendText("{\"userId\":\"fast\",\"message\":\"during " + round + "\"}");
            assertThat(sender.readText()).isEqualTo("{\"userId\":\"fast\",\"delivered\":1}");
            assertThat(fast.next()).isEqualTo("during " + round);
            if (round % 16 == 0) {
                assertThat(Http.get(server.port(), "/health").statusCode()).isEqualTo(200);
            }
            round++;
        }

        // Cut off, not drained: far less reached the slow client than was sent to it.
        List<RawWebSocketClient.Frame> backlog = new ArrayList<>();
        CloseStatus close = slow.drainUntilClose(backlog);
        assertThat(close).isEqualTo(new CloseStatus(4008, "slow consumer"));
        long received = backlog.stream().mapToLong(frame -> frame.payload().length).sum();
        assertThat(received).isLessThan(sentToSlow);
        assertThat(slow.awaitEndOfStream()).isTrue();

        // After: the server still routes, to the fast client and not to the slow one.
        sender.sendText("{\"userId\":\"slow\",\"message\":\"gone\"}");
        assertThat(sender.readText()).isEqualTo("{\"userId\":\"slow\",\"delivered\":0}");
        sender.sendText("{\"userId\":\"fast\",\"message\":\"after\"}");
        assertThat(sender.readText()).isEqualTo("{\"userId\":\"fast\",\"delivered\":1}");
        assertThat(fast.next()).isEqualTo("after");
        assertThat(Http.get(server.port(), "/health").statusCode()).isEqualTo(200);
        eventually().until(() -> server.node().connectionCount() == 2);
    }
}
