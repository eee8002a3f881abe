package dev.switchboard.security.it;

import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.LiveServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.switchboard.testing.Eventually.eventually;
import static dev.switchboard.testing.RawWebSocketClient.CONTINUATION;
import static dev.switchboard.testing.RawWebSocketClient.TEXT;
import static dev.switchboard.testing.RawWebSocketClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message that never ends: a text frame followed by an endless stream of small continuation
 * frames is cut off with 1009 once it passes {@code --max-message-bytes}, however many frames it
 * has; the server does not read on to the end (there is none).
 *
 * <p>The other frame limits are in transport/it/CloseCodesTest: a message of exactly the limit and
 * one byte over, single-frame and fragmented (1009); a control frame over 125 bytes ("a ping with a
 * 126-byte payload") and an unmasked client frame (1002).
 */
class FrameLimitsTest {
    /** Ten times the kernel buffers: reaching it means the server read on instead of closing. */
    private static final long GIVE_UP_AFTER_BYTES = 512L * 1024 * 1024;

    @RegisterExtension
    final LiveServer server = new LiveServer();
    private JdkWebSocketClient bob;

    @BeforeEach
    void start() throws Exception {
        bob = server.track(JdkWebSocketClient.connect(server.port(), "bob"));
    }

    @Test
    void an_endless_sequence_of_continuation_frames_closes_with_1009() throws Exception {
        RawWebSocketClient carol = server.track(RawWebSocketClient.connect(server.port(), "/?userId=carol"));
        eventually().until(() -> server.node().localConnections("carol") == 1);
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < 64; i++) {
            batch.writeBytes(frame(false, CONTINUATION, new byte[1000]));
        }
        byte[] continuations = batch.toByteArray();
        AtomicLong sent = new AtomicLong();
        AtomicBoolean stopped = new AtomicBoolean();
        Thread endless = new Thread(() -> {
            try {
                carol.sendRaw(frame(false, TEXT, "{\"userId\":\"bob\",\"message\":\"".getBytes()));
                while (!stopped.get() && sent.get() < GIVE_UP_AFTER_BYTES) {
                    carol.sendRaw(continuations);
                    sent.addAndGet(continuations.length);
                }
            } catch (IOException closedByTheServer) {
                // expected once the server has closed
            }
        }, "endless-continuations");
        endless.start();

        try {
            assertThat(carol.awaitClose().code()).isEqualTo(1009);
        } finally {
            stopped.set(true);
            endless.join(Eventually.TIMEOUT.toMillis());
            if (endless.isAlive()) {
                carol.abort(); // unblocks the writer; the test has failed already
            }
        }
        assertThat(sent.get()).as("bytes sent before the server closed").isLessThan(GIVE_UP_AFTER_BYTES);
        eventually().until(() -> server.node().localConnections("carol") == 0);
        assertThat(server.node().connectionCount()).isEqualTo(1);
        try (RawWebSocketClient marker = RawWebSocketClient.connect(server.port(), "/")) {
            marker.sendText("{\"userId\":\"bob\",\"message\":\"marker\"}");
            assertThat(marker.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        }
        assertThat(bob.next()).isEqualTo("marker");
    }
}
