package dev.switchboard.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One connection attempt and, once welcomed, one connection: the JDK WebSocket's listener, plus the
 * per-connection state the client keeps. Each attempt gets a new one, so a late callback from an
 * old socket is recognised ({@code connection != current}) and ignored.
 *
 * <p>Receiving: the JDK hands a text message over in parts when it is large; the parts are joined
 * here, and only a whole frame goes to the {@link Sink}. Flow control is the JDK's {@code request}:
 * parts and control frames ask for the next one at once; a whole frame asks only when the sink
 * calls {@link #requestNext()}, which it skips while its listeners are behind — the socket is then
 * not read, and TCP pushes back on the server.
 *
 * <p>Threading: the JDK calls the listener methods one at a time; the fields marked "client
 * thread" belong to the client's own thread.
 */
final class Connection implements WebSocket.Listener {
    /** Where a connection reports what it received. Implementations hand off to their own thread. */
    interface Sink {
        void frame(Connection connection, String text);

        void closed(Connection connection, int code, String reason);

        void failed(Connection connection, Throwable error);
    }

    private final Sink sink;
    private final LongSupplier nanoClock;
    private final StringBuilder parts = new StringBuilder();
    private volatile WebSocket webSocket;
    private volatile long lastHeardNanos;
    private volatile boolean closeReceived;

    // Client thread.
    /** Frames of this connection only ({@code received}, {@code ping}): written before any request. */
    final ArrayDeque<String> control = new ArrayDeque<>();
    boolean writing;
    boolean welcomed;
    ScheduledFuture<?> welcomeDeadline;
    ScheduledFuture<?> heartbeat;
    ScheduledFuture<?> paced;
    /** When this connection's token expires (epoch ms; 0: never, or not refreshable). */
    long tokenExpiresAt;
    /**
     * Requests this connection may still write before it pauses, until it has caught up with the
     * queue once: a backlog (what waited through a reconnect) goes out {@link #RESEND_BURST} at once,
     * then {@link #RESEND_PER_TICK} per {@link #TICK_MILLIS}, within the server's default rate limit
     * (burst 200, 100/s), so resending it cannot be refused as {@code rate_limited}.
     */
    private int budget = RESEND_BURST;
    private boolean caughtUp;
    static final int RESEND_BURST = 100;
    static final int RESEND_PER_TICK = 10;
    static final long TICK_MILLIS = 200;

    Connection(Sink sink, LongSupplier nanoClock) {
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.lastHeardNanos = nanoClock.getAsLong();
    }

    /** The socket, once the handshake is done; {@code null} before. */
    WebSocket webSocket() {
        return webSocket;
    }

    /** When the server was last heard from (any frame, including pings and pongs), by the nano clock. */
    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** Lets the next frame in. */
    void requestNext() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.request(1);
        }
    }

    /**
     * Client thread: writes the next frame — this connection's own control frames first, then the
     * oldest unwritten request, which becomes written to this connection — unless a frame is being
     * written already: the JDK allows one outstanding send. The caller clears {@link #writing} when
     * {@code whenWritten} has been called (on a JDK thread, with {@code null} or the failure).
     *
     * @return {@code true} when a request waits but this connection is paced: call {@link #pace}
     */
    boolean writeNext(RequestTable requests, Consumer<Throwable> whenWritten) {
        if (!welcomed || writing) {
            return false;
        }
        String frame = control.pollFirst();
        if (frame == null) {
            if (!caughtUp && budget <= 0) {
                return requests.hasUnwritten(); // paced: the caller comes back after a tick
            }
            RequestTable.Request<?> request = requests.nextUnwritten();
            if (request == null) {
                caughtUp = true;
                return false;
            }
            budget--;
            requests.written(request, this);
            frame = request.frame;
        }
        writing = true;
        CompletableFuture<WebSocket> sent;
        try {
            sent = webSocket.sendText(frame, true);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ws, error) -> whenWritten.accept(error));
        return false;
    }

    /** Client thread: paced ({@link #writeNext} said so); in a tick a few more requests may go. */
    void pace(java.util.concurrent.ScheduledExecutorService thread, Runnable pump) {
        if (paced == null) {
            paced = thread.schedule(() -> {
                paced = null;
                budget += RESEND_PER_TICK;
                pump.run();
            }, TICK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Drops the socket at once, without a closing handshake; no callback follows that matters. */
    void abort() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
    }

    /** Remembers the socket even when the handshake's future completes after frames arrived. */
    void attach(WebSocket ws) {
        webSocket = ws;
    }

    @Override
    public void onOpen(WebSocket ws) {
        webSocket = ws;
        heard();
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        heard();
        parts.append(data); // copied now: the JDK may reuse data once this method returns
        if (!last) {
            ws.request(1);
            return null;
        }
        String frame = parts.toString();
        parts.setLength(0);
        sink.frame(this, frame);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        heard(); // the server sends text only; skip anything else
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        heard(); // the JDK answers with a pong by itself
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        heard();
        ws.request(1);
        return null;
    }

    /** Whether the server sent a close frame, which the JDK answers by itself. */
    boolean closeReceived() {
        return closeReceived;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closeReceived = true;
        sink.closed(this, statusCode, reason);
        return null; // the JDK then answers the close frame
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        sink.failed(this, error);
    }

    private void heard() {
        lastHeardNanos = nanoClock.getAsLong();
    }

    /**
     * Closes normally: the server answers and closes the socket; if it does not within
     * {@code grace}, the socket is dropped. Without a socket yet, drops the attempt.
     */
    void closeGracefully(int code, java.util.concurrent.ScheduledExecutorService timer, java.time.Duration grace) {
        WebSocket ws = webSocket();
        if (ws == null) {
            abort();
            return;
        }
        ws.sendClose(code, "").exceptionally(error -> {
            abort();
            return null;
        });
        timer.schedule(this::abort, grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
