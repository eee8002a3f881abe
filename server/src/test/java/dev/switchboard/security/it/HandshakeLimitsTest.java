package dev.switchboard.security.it;

import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.RawHttpConnection;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limits on the HTTP request that opens a connection: it must arrive complete within
 * {@code --handshake-timeout} (a client that drips its headers, or says nothing, is cut off), its
 * headers may not exceed {@code --max-header-bytes} (431) and its request line 8 KiB (414). The
 * refusals carry the JSON error body.
 */
class HandshakeLimitsTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
    /** How late after its deadline a connection may be cut: scheduling on a busy test machine. */
    private static final Duration SLACK = Duration.ofMillis(1500);
    private static final int MAX_HEADER_BYTES = 2048;

    @RegisterExtension
    final LiveServer server = new LiveServer(() -> TestServers.config().toBuilder()
                .handshakeTimeout(HANDSHAKE_TIMEOUT).maxHeaderBytes(MAX_HEADER_BYTES).build());

    // --- the handshake deadline --------------------------------------------------------------

    @Test
    void a_client_that_drips_its_request_headers_is_cut_off_at_the_deadline() throws Exception {
        JdkWebSocketClient established = server.track(JdkWebSocketClient.connect(server.port(), "bob"));
        byte[] slowHeader = ("X-Slow: " + "a".repeat(200) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        AtomicInteger dripped = new AtomicInteger();

        long start = System.nanoTime();
        RawHttpConnection drip = server.track(RawHttpConnection.open(server.port()));
        drip.write("GET /?userId=drip HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
        // One byte every 20 ms: the whole request would take over 4 s, 8 times the deadline.
        Thread dripper = new Thread(() -> {
            try {
                for (byte b : slowHeader) {
                    drip.write(new byte[] {b});
                    dripped.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (IOException | InterruptedException closedByTheServer) {
                // expected: the server cut the connection
            }
        }, "dripper");
        dripper.start();

        assertThat(drip.awaitEndOfStream()).as("the server closed the dripping connection").isTrue();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        dripper.interrupt();
        dripper.join();

        assertThat(elapsed).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT).isLessThan(HANDSHAKE_TIMEOUT.plus(SLACK));
        assertThat(dripped.get()).as("bytes dripped before the cut").isLessThan(slowHeader.length);
        assertThat(server.node().localSessions("drip")).isEmpty();
        // An upgraded connection has no deadline: it outlived this one.
        established.send("{\"userId\":\"bob\",\"message\":\"still here\"}");
        assertThat(established.next(2)).containsExactlyInAnyOrder("{\"userId\":\"bob\",\"delivered\":1}", "still here");
    }

    @Test
    void a_client_that_says_nothing_is_cut_off_at_the_deadline() throws Exception {
        long start = System.nanoTime();
        RawHttpConnection silent = server.track(RawHttpConnection.open(server.port()));

        assertThat(silent.awaitEndOfStream()).isTrue();

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT).isLessThan(HANDSHAKE_TIMEOUT.plus(SLACK));
    }

    @Test
    void a_kept_alive_http_connection_gets_a_new_deadline_after_each_response() throws Exception {
        RawHttpConnection keepAlive = server.track(RawHttpConnection.open(server.port()));
        keepAlive.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(keepAlive.readResponse().status()).isEqualTo(200);
        long answered = System.nanoTime();

        assertThat(keepAlive.awaitEndOfStream()).isTrue();

        Duration elapsed = Duration.ofNanos(System.nanoTime() - answered);
        // Not closed with the response (the deadline started when it was written, just before we read it).
        assertThat(elapsed).isGreaterThan(HANDSHAKE_TIMEOUT.dividedBy(2)).isLessThan(HANDSHAKE_TIMEOUT.plus(SLACK));
    }

    // --- 431 and 414 -------------------------------------------------------------------------

    @Test
    void headers_over_max_header_bytes_are_refused_with_431() throws Exception {
        RawHttpConnection big = server.track(RawHttpConnection.open(server.port()));
        big.write(RawHttpConnection.upgradeRequest(server.port(), "/?userId=bob",
                Map.of("X-Filler", "f".repeat(MAX_HEADER_BYTES + 1))));

        RawHttpConnection.Response response = big.readResponse();

        assertThat(response.status()).isEqualTo(431);
        JsonErrors.assertError(response.body(), "headers_too_large");
        assertThat(big.awaitEndOfStream()).isTrue();
        assertThat(server.node().connectionCount()).isZero();
    }

    @Test
    void headers_just_under_max_header_bytes_are_accepted() throws Exception {
        RawWebSocketClient client = server.track(RawWebSocketClient.connect(server.port(), "/?userId=bob",
                Map.of("X-Filler", "f".repeat(MAX_HEADER_BYTES - 400))));

        client.sendText("{\"userId\":\"bob\",\"message\":\"hi\"}");

        assertThat(List.of(client.readText(), client.readText()))
                .containsExactlyInAnyOrder("{\"userId\":\"bob\",\"delivered\":1}", "hi");
    }

    @Test
    void plain_http_requests_have_the_same_header_limit() throws Exception {
        RawHttpConnection big = server.track(RawHttpConnection.open(server.port()));
        big.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + "f".repeat(MAX_HEADER_BYTES + 1) + "\r\n\r\n");

        RawHttpConnection.Response response = big.readResponse();

        assertThat(response.status()).isEqualTo(431);
        JsonErrors.assertError(response.body(), "headers_too_large");
    }

    @Test
    void a_request_line_over_8_kib_is_refused_with_414() throws Exception {
        RawHttpConnection longLine = server.track(RawHttpConnection.open(server.port()));
        longLine.write(RawHttpConnection.upgradeRequest(server.port(), "/?userId=bob&token=" + "t".repeat(9000), Map.of()));

        RawHttpConnection.Response response = longLine.readResponse();

        assertThat(response.status()).isEqualTo(414);
        JsonErrors.assertError(response.body(), "uri_too_long");
        assertThat(longLine.awaitEndOfStream()).isTrue();
        assertThat(server.node().connectionCount()).isZero();
    }

    @Test
    void a_request_line_just_under_8_kib_is_accepted() throws Exception {
        String path = "/health?pad=" + "p".repeat(8000);

        assertThat(Http.get(server.port(), path).statusCode()).isEqualTo(200);
    }
}
