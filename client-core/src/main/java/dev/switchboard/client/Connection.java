package dev.switchboard.client;

import dev.switchboard.client.transport.TransportListener;
import dev.switchboard.client.transport.TransportSocket;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One connection attempt and, once welcomed, one connection: the transport's listener, plus the
 * per-connection state the client keeps. Each attempt gets a new one, so a late callback from an
 * old socket is recognised ({@code connection != current}) and ignored.
 *
 * <p>Receiving: the transport delivers whole text messages, each only when asked for
 * ({@link TransportSocket#request}): the first at the opening, each next one when the sink calls
 * {@link #requestNext()}, which it skips while its listeners are behind — the socket is then not
 * read, and TCP pushes back on the server.
 *
 * <p>Threading: the transport calls the listener methods one at a time; the fields marked "client
 * thread" belong to the client's own thread.
 */
final class Connection implements TransportListener {
    /** Where a connection reports what it received. Implementations hand off to their own thread. */
    interface Sink {
        void frame(Connection connection, String text);

        void closed(Connection connection, int code, String reason);

        void failed(Connection connection, Throwable error);
    }

    private final Sink sink;
    private final LongSupplier nanoClock;
    private volatile TransportSocket socket;
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
    TransportSocket socket() {
        return socket;
    }

    /** When the server was last heard from (any frame, including pings and pongs), by the nano clock. */
    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** Lets the next frame in. */
    void requestNext() {
        TransportSocket s = socket;
        if (s != null) {
            s.request(1);
        }
    }

    /**
     * Client thread: writes the next frame — this connection's own control frames first, then the
     * oldest unwritten request, which becomes written to this connection — unless a frame is being
     * written already: a transport allows one outstanding send. The caller clears {@link #writing}
     * when {@code whenWritten} has been called (on a transport thread, with {@code null} or the failure).
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
        CompletableFuture<Void> sent;
        try {
            sent = socket.sendText(frame);
        } catch (RuntimeException e) {
            sent = Futures.failed(e);
        }
        sent.whenComplete((ignored, error) -> whenWritten.accept(error));
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
        TransportSocket s = socket;
        if (s != null) {
            s.abort();
        }
    }

    /** Remembers the socket even when the handshake's future completes after frames arrived. */
    void attach(TransportSocket s) {
        socket = s;
    }

    @Override
    public void onOpen(TransportSocket s) {
        socket = s;
        heard();
        s.request(1);
    }

    @Override
    public void onText(String text) {
        heard();
        sink.frame(this, text);
    }

    @Override
    public void onActivity() {
        heard();
    }

    /** Whether the server sent a close frame, which the transport answers by itself. */
    boolean closeReceived() {
        return closeReceived;
    }

    @Override
    public void onClose(int code, String reason) {
        closeReceived = true;
        sink.closed(this, code, reason);
    }

    @Override
    public void onError(Throwable error) {
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
        TransportSocket s = socket();
        if (s == null) {
            abort();
            return;
        }
        s.sendClose(code, "").exceptionally(error -> {
            abort();
            return null;
        });
        timer.schedule(this::abort, grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
