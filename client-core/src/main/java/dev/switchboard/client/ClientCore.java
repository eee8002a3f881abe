package dev.switchboard.client;

import dev.switchboard.client.transport.TransportSocket;
import dev.switchboard.client.transport.WebSocketTransport;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The client's lifecycle: connects, reconnects with backoff, resumes, writes requests in order,
 * and closes; what arriving frames mean is the {@link InboundRouter}'s part.
 *
 * <p>Threading: everything here runs on one thread of the client's own (the "client thread"), so
 * the state needs no locks; the transport's callbacks, the application's calls and the timers only post
 * tasks to it. The exceptions, safe from any thread, are {@link #connect}, {@link #request},
 * {@link #close} and the volatile reads behind {@link #state} and {@link #connectionId}. Request
 * futures are completed on the client thread.
 */
final class ClientCore implements Connection.Sink, InboundRouter.Lifecycle {
    private static final Logger log = Logger.getLogger(ClientCore.class.getName());
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1); // for a closing handshake
    private static final int NORMAL_CLOSURE = 1000;
    /** The code for a connection that ended without a close frame (RFC 6455 §7.1.5). */
    private static final int NO_CLOSE_FRAME = 1006;

    private final URI uri;
    private final String userId;
    private final TokenProvider tokens;
    private final ClientOptions options;
    private final WebSocketTransport transport;
    private final ScheduledThreadPoolExecutor thread;
    private final EventDispatcher events;
    private final RequestTable requests;
    private final ReconnectPolicy policy;
    private final Backoff backoff;
    private final StreamTracker stream = new StreamTracker();
    private final InboundRouter router;
    private final CompletableFuture<Void> firstWelcome = new CompletableFuture<>();

    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile String connectionId;
    private volatile boolean started;
    private volatile boolean closed;

    // Client thread.
    private Connection current;
    private Future<?> retry;
    private final ReadFlow reading;
    private final TokenRefresh refresh;

    ClientCore(URI uri, String userId, TokenProvider tokens, boolean tokenRefreshable, ClientOptions options,
               WebSocketTransport transport, ScheduledThreadPoolExecutor thread, EventDispatcher events) {
        this.uri = uri;
        this.userId = userId;
        this.tokens = tokens;
        this.options = options;
        this.transport = transport;
        this.thread = thread;
        this.events = events;
        this.requests = new RequestTable(options.maxPendingRequests());
        this.router = new InboundRouter(stream, requests, events, this);
        this.reading = new ReadFlow(events, this::execute);
        this.refresh = new TokenRefresh(tokenRefreshable ? tokens : null, thread,
                token -> request(id -> Frames.refresh(id, token), TokenRefresh.Refreshed.class, false),
                this::execute, () -> current, (c, e) -> lost(c, NO_CLOSE_FRAME, "token refresh failed: " + e, e));
        this.policy = new ReconnectPolicy(options.terminalCloseCodes(), tokenRefreshable);
        this.backoff = new Backoff(options.reconnectDelay(), options.maxReconnectDelay(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    ConnectionState state() { return state; }

    String connectionId() { return connectionId; }

    /** Events accepted and not yet handed to the listeners (for tests of the bound). */
    int queuedEvents() { return events.waiting(); }

    CompletableFuture<Void> connect() {
        started = true;
        execute(() -> {
            if (state == ConnectionState.NEW) {
                attempt();
            }
        });
        return firstWelcome;
    }

    /**
     * Files a request whose frame {@code frameForId} builds (on the caller's thread) around its id;
     * a {@code resendable} one (a keyed send) waits across reconnects, with no timeout.
     *
     * @throws IllegalStateException if {@link #connect} was never called
     */
    <T> CompletableFuture<T> request(Function<String, String> frameForId, Class<T> answerType, boolean resendable) {
        if (!started) {
            throw new IllegalStateException("call connect() first");
        }
        if (closed) {
            return Futures.failed(new ClientClosedException("the client is closed", null));
        }
        if (!requests.tryReserve(resendable && options.sendOverflow() == ClientOptions.SendOverflow.DROP_OLDEST)) {
            return Futures.failed(new RejectedExecutionException(
                    requests.maxPending() + " requests are already waiting for answers (maxPendingRequests)"));
        }
        String id = requests.nextId();
        RequestTable.Request<T> request = new RequestTable.Request<>(id, frameForId.apply(id), answerType, resendable);
        request.future.whenComplete((value, error) -> requests.release());
        if (!execute(() -> filed(request))) {
            request.fail(new ClientClosedException("the client is closed", null));
        }
        return request.future;
    }

    void close() {
        closed = true;
        execute(() -> terminate(NORMAL_CLOSURE, "closed by the client", null, true));
    }

    // ---- connecting ----

    private void attempt() {
        retry = null;
        Connection connection = new Connection(this, System::nanoTime);
        current = connection;
        setState(ConnectionState.CONNECTING, 0, "", null);
        long deadline = options.connectTimeout().toMillis();
        connection.welcomeDeadline = thread.schedule(() -> {
            if (connection == current && !connection.welcomed) {
                lost(connection, 0, "no welcome within " + deadline + " ms",
                        new TimeoutException("no welcome within " + deadline + " ms"));
            }
        }, deadline, TimeUnit.MILLISECONDS);
        CompletionStage<String> token;
        try {
            token = tokens == null ? CompletableFuture.completedFuture(null) : tokens.token();
        } catch (RuntimeException e) {
            token = Futures.failed(e);
        }
        token.whenComplete((value, error) -> execute(() -> {
            if (connection != current) {
                return;
            }
            if (error != null || (tokens != null && value == null)) {
                lost(connection, 0, "the TokenProvider gave no token", error == null ? null : Handshake.unwrap(error));
            } else {
                open(connection, value);
            }
        }));
    }

    private void open(Connection connection, String token) {
        connection.tokenExpiresAt = TokenRefresh.expiry(token);
        Handshake.open(transport, ConnectUri.of(uri, userId, stream), token, options.connectTimeout(), connection)
                .whenComplete((socket, error) -> {
                    if (!execute(() -> handshakeDone(connection, socket, error)) && socket != null) {
                        socket.abort(); // closed meanwhile
                    }
                });
    }

    private void handshakeDone(Connection connection, TransportSocket socket, Throwable error) {
        if (connection != current) {
            if (socket != null) {
                socket.abort();
            }
            return;
        }
        if (error != null) {
            Throwable cause = Handshake.unwrap(error);
            String stop = cause instanceof HandshakeRejectedException
                    ? policy.stopAfterHandshake(((HandshakeRejectedException) cause).status()) : null;
            if (stop != null) {
                terminate(0, stop, cause, false);
            } else {
                lost(connection, 0, "could not connect to " + Handshake.redacted(uri) + ": " + Handshake.describe(cause), cause);
            }
            return;
        }
        connection.attach(socket);
        if (!Handshake.SUBPROTOCOL.equals(socket.subprotocol())) {
            terminate(0, "no " + Handshake.SUBPROTOCOL, new SwitchboardException("the server did not accept the "
                    + Handshake.SUBPROTOCOL + " subprotocol: is it a Switchboard server?"), false);
        }
    }

    // ---- receiving (Connection.Sink: called on the transport's threads, handed to the client thread) ----

    @Override
    public void frame(Connection connection, String text) {
        execute(() -> onFrame(connection, text));
    }

    @Override
    public void closed(Connection connection, int code, String reason) {
        execute(() -> {
            if (connection == current) {
                lost(connection, code, reason, null);
            }
        });
    }

    @Override
    public void failed(Connection connection, Throwable error) {
        execute(() -> {
            if (connection == current) {
                lost(connection, NO_CLOSE_FRAME, Handshake.describe(error), error);
            }
        });
    }

    private void onFrame(Connection connection, String text) {
        if (connection == current) {
            router.route(connection, text);
            readNext(connection);
        }
    }

    @Override
    public void welcomed(Connection connection, Inbound.Welcome welcome) {
        connection.welcomed = true;
        cancel(connection.welcomeDeadline);
        Resync resync = stream.welcome(welcome.epoch(), welcome.seq(), welcome.recovered());
        connectionId = welcome.connectionId();
        backoff.reset();
        setState(ConnectionState.OPEN, 0, "", null);
        if (resync != null) {
            events.resync(resync);
        }
        firstWelcome.complete(null);
        startHeartbeat(connection);
        refresh.schedule(connection);
        pump();
    }

    @Override
    public Runnable confirmation(Connection connection, long seq) {
        return () -> execute(() -> confirm(connection, seq));
    }

    /** Confirms on the connection that delivered the message: the server only honours that one. */
    private void confirm(Connection connection, long seq) {
        if (connection == current) {
            connection.control.addLast(Frames.received(seq));
            pump();
        }
    }

    /** Lets the next frame in, unless the listeners are too far behind ({@link ReadFlow}). */
    private void readNext(Connection connection) {
        if (connection == current) {
            reading.readNext(connection, () -> current);
        }
    }

    // ---- sending ----

    private void filed(RequestTable.Request<?> request) {
        if (state == ConnectionState.CLOSED) {
            request.fail(new ClientClosedException("the client is closed", null));
            return;
        }
        requests.add(request);
        if (!request.resendable) {
            long timeout = options.requestTimeout().toMillis();
            request.timeout = thread.schedule(() -> requests.timedOut(request, timeout), timeout, TimeUnit.MILLISECONDS);
        }
        pump();
    }

    /** Writes the next frame on the current connection, if it is free to write (and not paced). */
    private void pump() {
        Connection connection = current;
        if (connection != null && connection.writeNext(requests, error -> execute(() -> written(connection, error)))) {
            connection.pace(thread, this::pump);
        }
    }

    private void written(Connection connection, Throwable error) {
        if (connection != current) {
            return;
        }
        connection.writing = false;
        if (error != null) {
            Throwable cause = Handshake.unwrap(error);
            lost(connection, NO_CLOSE_FRAME, "write failed: " + cause, cause);
        } else {
            pump();
        }
    }

    // ---- liveness ----

    /** Pings a quiet server, and replaces a connection that stopped answering ({@link LivenessWatch}). */
    private void startHeartbeat(Connection connection) {
        connection.heartbeat = LivenessWatch.start(thread, options.pingInterval(), connection,
                () -> connection == current, reading::paused,
                () -> {
                    connection.control.addLast(Frames.ping());
                    pump();
                },
                why -> lost(connection, NO_CLOSE_FRAME, why, new TimeoutException(why)));
    }

    // ---- losing, retrying, closing ----

    /** The connection (or attempt) ended: fail what was written to it, then retry or stop. */
    private void lost(Connection connection, int code, String reason, Throwable error) {
        current = null;
        connectionId = null;
        cancel(connection.welcomeDeadline);
        cancel(connection.heartbeat);
        if (connection.closeReceived()) {
            // The transport is answering the server's close frame: give the closing handshake its moment.
            thread.schedule(connection::abort, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            connection.abort();
        }
        requests.connectionLost(connection, code == 0 ? reason : code + " " + reason, error);
        String stop = code == 0 ? null : policy.stopAfterClose(code);
        if (stop != null) {
            terminate(code, reason, new SwitchboardException(stop + " (" + code + " " + reason + ")"), false);
            return;
        }
        Duration delay = backoff.next();
        setState(ConnectionState.RECONNECTING, code, reason, error);
        log.fine(() -> "reconnecting in " + delay.toMillis() + " ms after " + code
                + " " + reason);
        retry = thread.schedule(this::attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes for good: fails every request, tells the listeners last, ends the threads. */
    private void terminate(int code, String reason, Throwable cause, boolean graceful) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        closed = true;
        Connection connection = current;
        current = null;
        connectionId = null;
        cancel(retry);
        if (connection != null) {
            cancel(connection.welcomeDeadline);
            cancel(connection.heartbeat);
            if (graceful) {
                // The delayed abort still runs after shutdown() below, then the thread ends.
                connection.closeGracefully(NORMAL_CLOSURE, thread, CLOSE_GRACE);
            } else {
                connection.abort();
            }
        }
        ClientClosedException closing = new ClientClosedException(
                cause == null ? "the client is closed" : "the client closed: " + cause.getMessage(), cause);
        // CLOSED first: whoever sees a request or connect() fail must also see the client closed.
        setState(ConnectionState.CLOSED, code, reason, cause);
        requests.failAll(closing);
        firstWelcome.completeExceptionally(closing);
        events.shutdown();
        thread.shutdown();
    }

    // ---- plumbing ----

    private void setState(ConnectionState next, int code, String reason, Throwable error) {
        ConnectionState previous = state;
        state = next;
        events.stateChange(new StateChange(previous, next, code, reason, error));
    }

    /** Runs {@code task} on the client thread; {@code false} if the client is closed. */
    private boolean execute(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.log(java.util.logging.Level.SEVERE, "a client task failed", e);
                }
            });
            return true;
        } catch (RejectedExecutionException closedAlready) {
            return false;
        }
    }

    private static void cancel(Future<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }
}
