package dev.switchboard.security.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.PerMessageDeflate;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

import static dev.switchboard.testing.Eventually.eventually;
import static dev.switchboard.testing.RawWebSocketClient.CONTINUATION;
import static dev.switchboard.testing.RawWebSocketClient.TEXT;
import static dev.switchboard.testing.RawWebSocketClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * permessage-deflate ({@code --permessage-deflate}): off by default, so nothing is negotiated (a
 * frame with RSV1 then closes with 1002: CloseCodesTest, "RSV1 set without an extension"). When on,
 * it is negotiated with a client that offers it, compressed messages in both directions work, and
 * clients that do not offer it are unaffected. A compressed message that inflates past
 * {@code --max-message-bytes} — a zip bomb — closes with 1009, and the server never holds more than
 * the limit of it in memory.
 */
class CompressionTest {
    private static final int RSV1 = 4;
    private static final int LIMIT = 64 * 1024;

    private SwitchboardServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(boolean deflate) throws Exception {
        server = TestServers.start(TestServers.config().toBuilder().permessageDeflate(deflate).build());
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    private RawWebSocketClient offering(String userId) throws Exception {
        return track(RawWebSocketClient.connect(server.port(), "/?userId=" + userId,
                Map.of("Sec-WebSocket-Extensions", PerMessageDeflate.OFFER)));
    }

    /** A text frame with RSV1 set whose payload is {@code text} compressed. */
    private static byte[] compressedText(String text) {
        return frame(true, RSV1, TEXT, PerMessageDeflate.compress(text.getBytes(StandardCharsets.UTF_8)), true);
    }

    /** The next text message, inflated if the server compressed it. */
    private static String readMessage(RawWebSocketClient client, PerMessageDeflate inflater) throws Exception {
        RawWebSocketClient.Frame frame = client.readFrame();
        assertThat(frame.opcode()).as("%s", frame).isEqualTo(TEXT);
        return frame.rsv() == RSV1
                ? new String(inflater.inflate(frame.payload()), StandardCharsets.UTF_8) : frame.text();
    }

    @Test
    void it_is_off_by_default_so_an_offer_is_not_accepted() throws Exception {
        start(false);
        RawWebSocketClient carol = offering("carol");

        assertThat(carol.handshakeHeaders()).doesNotContainKey("sec-websocket-extensions");
        carol.sendText("{\"userId\":\"carol\",\"message\":\"plain " + "x".repeat(500) + "\"}");
        RawWebSocketClient.Frame first = carol.readFrame();
        RawWebSocketClient.Frame second = carol.readFrame();
        assertThat(List.of(first.rsv(), second.rsv())).containsOnly(0);
        assertThat(List.of(first.text(), second.text())).contains("{\"userId\":\"carol\",\"delivered\":1}");
    }

    @Test
    void when_on_it_is_negotiated_and_compressed_messages_flow_both_ways() throws Exception {
        start(true);
        RawWebSocketClient carol = offering("carol");
        PerMessageDeflate fromServer = new PerMessageDeflate();
        JdkWebSocketClient bob = track(JdkWebSocketClient.connect(server.port(), "bob")); // offers nothing

        assertThat(carol.handshakeHeaders().get("sec-websocket-extensions")).startsWith("permessage-deflate");

        // Compressed in: routed, and delivered plain to a client without the extension.
        carol.sendRaw(compressedText("{\"userId\":\"bob\",\"message\":\"squeezed 铁锤 " + "z".repeat(2000) + "\"}"));
        assertThat(readMessage(carol, fromServer)).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("squeezed 铁锤 " + "z".repeat(2000));

        // Out: compressed for the client that negotiated it.
        String text = "to carol " + "y".repeat(4000);
        bob.send("{\"userId\":\"carol\",\"message\":\"" + text + "\"}");
        assertThat(bob.next()).isEqualTo("{\"userId\":\"carol\",\"delivered\":1}");
        RawWebSocketClient.Frame delivered = carol.readFrame();
        assertThat(delivered.rsv()).as("the server compressed it").isEqualTo(RSV1);
        assertThat(delivered.payload().length).isLessThan(text.length() / 10);
        assertThat(new String(fromServer.inflate(delivered.payload()), StandardCharsets.UTF_8)).isEqualTo(text);

        // Several messages in a row on the same compression context.
        for (int i = 0; i < 5; i++) {
            carol.sendRaw(compressedText("{\"userId\":\"bob\",\"message\":\"again " + i + "\"}"));
            assertThat(readMessage(carol, fromServer)).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
            assertThat(bob.next()).isEqualTo("again " + i);
        }
        // An uncompressed message from a client that negotiated compression is fine too.
        carol.sendText("{\"userId\":\"bob\",\"message\":\"not squeezed\"}");
        assertThat(readMessage(carol, fromServer)).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("not squeezed");
    }

    @Test
    void a_zip_bomb_closes_with_1009() throws Exception {
        start(true);
        JdkWebSocketClient bob = track(JdkWebSocketClient.connect(server.port(), "bob"));
        RawWebSocketClient carol = offering("carol");
        byte[] bomb = PerMessageDeflate.compress(new byte[1024 * 1024]); // 1 MB of zeros
        assertThat(bomb.length).isLessThan(2048);

        carol.sendRaw(frame(true, RSV1, TEXT, bomb, true));

        assertThat(carol.awaitClose()).isEqualTo(new CloseStatus(1009, "message too big"));
        assertThat(carol.awaitEndOfStream()).isTrue();
        eventually().until(() -> server.node().localConnections("carol") == 0);
        assertServerStillRoutes(bob);
    }

    @Test
    void a_zip_bomb_is_never_inflated_past_the_limit() throws Exception {
        start(true);
        JdkWebSocketClient bob = track(JdkWebSocketClient.connect(server.port(), "bob"));
        // 48 MB of zeros in one frame that fits under the 64 KiB frame limit.
        byte[] bomb = PerMessageDeflate.compress(new byte[48 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(LIMIT);
        List<RawWebSocketClient> bombers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bombers.add(offering("bomber-" + i));
        }

        long before = ioThreadAllocatedBytes();
        for (RawWebSocketClient bomber : bombers) {
            bomber.sendRaw(frame(true, RSV1, TEXT, bomb, true));
        }
        for (RawWebSocketClient bomber : bombers) {
            assertThat(bomber.awaitClose().code()).isEqualTo(1009);
        }
        long allocated = ioThreadAllocatedBytes() - before;

        // Inflating even one bomb would allocate 48 MB; the server stops each at 64 KiB.
        assertThat(allocated).as("bytes allocated by the I/O threads for 4 bombs of 48 MB")
                .isLessThan(16L * 1024 * 1024);
        assertServerStillRoutes(bob);
    }

    @Test
    void a_fragmented_compressed_message_whose_inflated_total_exceeds_the_limit_closes_with_1009() throws Exception {
        start(true);
        JdkWebSocketClient bob = track(JdkWebSocketClient.connect(server.port(), "bob"));
        RawWebSocketClient carol = offering("carol");
        // Three fragments of one compressed message, each inflating to 40 KB (under the limit), 120 KB in all.
        List<byte[]> fragments = deflateInParts(new byte[40 * 1024], 3);
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 0; i < fragments.size(); i++) {
            boolean last = i == fragments.size() - 1;
            frames.writeBytes(frame(last, i == 0 ? RSV1 : 0, i == 0 ? TEXT : CONTINUATION, fragments.get(i), true));
        }

        carol.sendRaw(frames.toByteArray());

        assertThat(carol.awaitClose().code()).isEqualTo(1009);
        eventually().until(() -> server.node().localConnections("carol") == 0);
        assertServerStillRoutes(bob);
    }

    /** {@code parts} sync-flushed pieces of one deflate stream; the last one without its 00 00 ff ff. */
    private static List<byte[]> deflateInParts(byte[] part, int parts) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        List<byte[]> pieces = new ArrayList<>();
        byte[] buffer = new byte[256 * 1024];
        for (int i = 0; i < parts; i++) {
            deflater.setInput(part);
            int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            assertThat(deflater.needsInput()).isTrue();
            pieces.add(Arrays.copyOf(buffer, i == parts - 1 ? n - 4 : n));
        }
        deflater.end();
        return pieces;
    }

    private void assertServerStillRoutes(JdkWebSocketClient bob) throws Exception {
        try (RawWebSocketClient marker = RawWebSocketClient.connect(server.port(), "/")) {
            marker.sendText("{\"userId\":\"bob\",\"message\":\"marker\"}");
            assertThat(marker.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        }
        assertThat(bob.next()).as("nothing of the bomb reached bob").isEqualTo("marker");
    }

    /** Heap bytes allocated so far by the server's I/O threads (threads of stopped servers are gone). */
    private static long ioThreadAllocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("switchboard-io"))
                .mapToLong(Thread::getId)
                .toArray();
        assertThat(ids).isNotEmpty();
        return Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(bytes -> bytes > 0).sum();
    }
}
