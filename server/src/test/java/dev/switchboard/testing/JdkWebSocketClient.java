package dev.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client — the JDK's {@link WebSocket} — that records everything the server sends:
 * whole text messages, binary messages, pings, pongs and the close. It sends no {@code Origin}
 * header unless asked to, and answers pings by itself (the JDK does).
 *
 * <p>Every wait is bounded by {@link Eventually#TIMEOUT}; a missing message fails the test with
 * what was received instead.
 */
public final class JdkWebSocketClient implements AutoCloseable {
    /** One HTTP client (one selector thread) for every test connection. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Eventually.TIMEOUT)
            .build();

    private final WebSocket webSocket;
    private final Recorder recorder;

    private JdkWebSocketClient(WebSocket webSocket, Recorder recorder) {
        this.webSocket = webSocket;
        this.recorder = recorder;
    }

    /** {@code ws://127.0.0.1:port/?userId=userId}, or {@code /} with no query when userId is null. */
    /** A plain-protocol send: {@code {"userId":<user>,"message":<text>}} (neither may need JSON escaping). */
    public static String plainSend(String user, String text) {
        return "{\"userId\":\"" + user + "\",\"message\":\"" + text + "\"}";
    }

    public static URI uri(int port, String userId) {
        return uri(port, "/", userId);
    }

    /** {@code ws://127.0.0.1:port<path>?userId=userId} (URL-encoded), no query when userId is null. */
    public static URI uri(int port, String path, String userId) {
        String query = userId == null ? "" : "?userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8);
        return URI.create("ws://127.0.0.1:" + port + path + query);
    }

    public static JdkWebSocketClient connect(int port, String userId) {
        return connect(uri(port, userId), Map.of());
    }

    public static JdkWebSocketClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    public static JdkWebSocketClient connect(URI uri, Map<String, String> headers) {
        return join(connectAsync(uri, headers), "connect to " + uri);
    }

    /** Starts a connection; the future fails if the handshake does. */
    public static CompletableFuture<JdkWebSocketClient> connectAsync(URI uri, Map<String, String> headers) {
        return connectAsync(HTTP, uri, headers, List.of());
    }

    /** Connects through {@code http}, a client of the test's own (one trusting a test certificate, say). */
    public static JdkWebSocketClient connect(HttpClient http, URI uri, Map<String, String> headers) {
        return join(connectAsync(http, uri, headers, List.of()), "connect to " + uri);
    }

    /** Starts a connection through {@code http}; the future fails if the handshake does. */
    public static CompletableFuture<JdkWebSocketClient> connectAsync(HttpClient http, URI uri,
                                                                     Map<String, String> headers) {
        return connectAsync(http, uri, headers, List.of());
    }

    /**
     * Connects offering {@code subprotocols} ({@code Sec-WebSocket-Protocol}), most preferred
     * first; an empty list offers none. The JDK fails the handshake if the server selects one that
     * was not offered.
     */
    public static JdkWebSocketClient connect(URI uri, Map<String, String> headers, List<String> subprotocols) {
        return join(connectAsync(HTTP, uri, headers, subprotocols),
                "connect to " + uri + " offering " + subprotocols);
    }

    /** Starts a connection offering {@code subprotocols}; the future fails if the handshake does. */
    public static CompletableFuture<JdkWebSocketClient> connectAsync(URI uri, Map<String, String> headers,
                                                                     List<String> subprotocols) {
        return connectAsync(HTTP, uri, headers, subprotocols);
    }

    /** The full form: through {@code http}, offering {@code subprotocols}. */
    public static CompletableFuture<JdkWebSocketClient> connectAsync(HttpClient http, URI uri,
                                                                     Map<String, String> headers,
                                                                     List<String> subprotocols) {
        Recorder recorder = new Recorder();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Eventually.TIMEOUT);
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0),
                    subprotocols.subList(1, subprotocols.size()).toArray(new String[0]));
        }
        return builder.buildAsync(uri, recorder).thenApply(ws -> new JdkWebSocketClient(ws, recorder));
    }

    /** The subprotocol the server selected in its handshake response, or {@code ""} for none. */
    public String subprotocol() {
        return webSocket.getSubprotocol();
    }

    /** Sends one text message in one frame and waits until it is written. */
    public JdkWebSocketClient send(String text) {
        join(webSocket.sendText(text, true), "send text");
        return this;
    }

    /** Starts sending one text message in one frame, without waiting. */
    public CompletableFuture<WebSocket> sendAsync(String text) {
        return webSocket.sendText(text, true);
    }

    /** Sends one text message as several frames, one per part. */
    public JdkWebSocketClient sendFragmented(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            join(webSocket.sendText(parts[i], i == parts.length - 1), "send text part");
        }
        return this;
    }

    /** Sends one binary message in one frame. */
    public JdkWebSocketClient sendBinary(byte[] data) {
        join(webSocket.sendBinary(ByteBuffer.wrap(data), true), "send binary");
        return this;
    }

    public JdkWebSocketClient ping(byte[] payload) {
        join(webSocket.sendPing(ByteBuffer.wrap(payload)), "send ping");
        return this;
    }

    /** The next whole text message; fails if none arrives in time. */
    public String next() {
        return take(recorder.texts, "text message");
    }

    /** The next {@code count} text messages, in arrival order. */
    public List<String> next(int count) {
        List<String> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(next());
        }
        return messages;
    }

    /** Text messages received and not yet taken, without waiting. */
    public List<String> pending() {
        return List.copyOf(recorder.texts);
    }

    /** The payload of the next ping received; fails if none arrives in time. */
    public byte[] nextPing() {
        return take(recorder.pings, "ping");
    }

    /** Pings received and not yet taken. */
    public int pendingPings() {
        return recorder.pings.size();
    }

    /** The payload of the next pong received; fails if none arrives in time. */
    public byte[] nextPong() {
        return take(recorder.pongs, "pong");
    }

    /** Binary messages received (the server should send none). */
    public int binaryMessagesReceived() {
        return recorder.binaries.size();
    }

    /** Waits for the server's close frame. */
    public CloseStatus awaitClose() {
        return join(recorder.closed, "close from the server");
    }

    /** Completes with the server's close frame, or exceptionally if the connection failed. */
    public CompletableFuture<CloseStatus> closed() {
        return recorder.closed;
    }

    /** Whether the server has closed the connection (close frame or error). */
    public boolean isClosed() {
        return recorder.closed.isDone();
    }

    /** Closes the TCP connection without a close frame. */
    public void abort() {
        webSocket.abort();
    }

    /** Starts a normal close (1000) without waiting for the server's answer. */
    public CompletableFuture<WebSocket> startClose() {
        return webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }

    /** Closes normally and waits for the server's answering close frame; aborts if it does not come. */
    @Override
    public void close() {
        if (recorder.closed.isDone() || webSocket.isOutputClosed()) {
            webSocket.abort();
            return;
        }
        try {
            startClose().get(Eventually.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            recorder.closed.get(Eventually.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The server is gone or slow; the connection is dropped either way.
        } finally {
            webSocket.abort();
        }
    }

    private <T> T take(BlockingQueue<T> queue, String what) {
        try {
            T value = queue.poll(Eventually.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (value == null) {
                throw new AssertionError("no " + what + " within " + Eventually.TIMEOUT
                        + "; connection " + (recorder.closed.isDone() ? "closed: " + describeClose() : "open"));
            }
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private String describeClose() {
        try {
            return recorder.closed.getNow(null).toString();
        } catch (RuntimeException e) {
            return e.getCause() == null ? e.toString() : e.getCause().toString();
        }
    }

    private static <T> T join(CompletableFuture<T> future, String what) {
        try {
            return future.get(Eventually.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + what, e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": nothing within " + Eventually.TIMEOUT, e);
        }
    }

    private static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binary.writeBytes(bytes(data));
            if (last) {
                binaries.add(binary.toByteArray());
                binary = new ByteArrayOutputStream();
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.add(bytes(message));
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongs.add(bytes(message));
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new CloseStatus(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        private static byte[] bytes(ByteBuffer buffer) {
            byte[] copy = new byte[buffer.remaining()];
            buffer.get(copy);
            return copy;
        }
    }
}
