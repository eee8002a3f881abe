package dev.switchboard.client;

import dev.switchboard.client.transport.WebSocketTransport;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A client of a Switchboard server speaking {@code switchboard.v1} (docs/PROTOCOL.md): it receives
 * the messages addressed to its user and sends messages to users by name.
 *
 * <pre>{@code
 * SwitchboardClient client = SwitchboardClient.builder(URI.create("ws://localhost:5201/"))
 *         .userId("bob")                                   // dev mode; or .token(jwt)
 *         .onMessage(m -> System.out.println(m.from() + ": " + m.text()))
 *         .onStateChange(s -> System.out.println(s))
 *         .build();
 * client.connect().join();
 * Ack ack = client.send("alice", "hello").join();
 * client.close();
 * }</pre>
 *
 * <h2>Delivery guarantees</h2>
 * <ul>
 * <li><b>Receiving: each message once, in seq order, without gaps</b> — across reconnects too. The
 *     client remembers the epoch and the last seq of its user's stream and resumes from there
 *     ({@code ?since=&epoch=}); the server replays what was missed, and anything seen already is
 *     dropped. When the server cannot replay (it restarted, or the gap outgrew its history), the
 *     {@link Builder#onResync resync listener} is told, and delivery continues from the server's
 *     current position.</li>
 * <li><b>Sending: never lost, effectively once.</b> A request waits, in call order, until a
 *     connection is open. A send carries an idempotency key ({@link SendOptions}); if its
 *     connection drops before the ack, it is written again, in order, on the next connection, and
 *     the server delivers a key once (a repeat's ack says {@link Ack#duplicate()}). Sends do not
 *     time out: one fails only when the queue is full ({@link ClientOptions#sendOverflow()}), the
 *     client is closed, or the server refuses it. A query (presence) cut off by a drop fails with
 *     {@link ConnectionLostException}, and one not answered within
 *     {@link ClientOptions#requestTimeout()} of the call with a
 *     {@link java.util.concurrent.TimeoutException}. Requests from one thread are written in the
 *     order of the calls, so messages from one thread to one user arrive in that order.</li>
 * <li><b>Receipts</b>: a message whose sender asked for one is confirmed ({@code received}) once the
 *     message listener has returned for it; a confirmation due when the connection drops is lost
 *     with it (receipts are at most once).</li>
 * </ul>
 *
 * <h2>Reconnecting</h2>
 * After any drop the client reconnects with jittered exponential backoff
 * ({@link ClientOptions#reconnectDelay()}), except when retrying cannot help: after
 * {@link #close()}; when the handshake is refused with a 4xx other than 408/429 (a bad token, a
 * wrong path); after a close code in {@link ClientOptions#terminalCloseCodes()} (by default 1008 and
 * 4003); and after 4001 (token expired) when the token was given with {@link Builder#token} — with a
 * {@link Builder#tokenProvider} it reconnects with a fresh token. It then closes, and the
 * {@link StateChange} says why.
 *
 * <h2>Threading</h2>
 * Every method is thread-safe and none blocks. The client runs two daemon threads of its own.
 * Listeners are called on one of them, one call at a time, in the order of events (a message's
 * state change before the messages of that connection); a listener may block — even on a
 * request's future — without stalling the connection, though the client stops reading once
 * {@link ClientOptions#maxQueuedEvents()} events are waiting. Request futures are completed on the
 * other, the client's internal thread: do not block in their dependent actions (use the
 * {@code …Async} variants for heavy work).
 */
public final class SwitchboardClient implements AutoCloseable {
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final ClientCore core;

    private SwitchboardClient(ClientCore core) {
        this.core = core;
    }

    /**
     * Starts building a client of the server at {@code uri} ({@code ws://host:port/} or
     * {@code wss://…}; the path may be {@code /} or {@code /ws}).
     */
    public static Builder builder(URI uri) {
        return new Builder(ConnectUri.validate(Objects.requireNonNull(uri, "uri")));
    }

    /**
     * Starts connecting; later calls only return the same future.
     *
     * @return completes at the first welcome from the server, or fails with
     *     {@link ClientClosedException} if the client closes first (its cause says why, e.g. a
     *     {@link HandshakeRejectedException} for a refused token). Failed attempts are retried with
     *     backoff meanwhile; bound the wait with {@code orTimeout} if needed.
     */
    public CompletableFuture<Void> connect() {
        return core.connect();
    }

    /** Sends {@code text} (as a JSON string) to {@code to}. See {@link #sendJson(String, String, SendOptions)}. */
    public CompletableFuture<Ack> send(String to, String text) {
        return send(to, text, SendOptions.DEFAULT);
    }

    /**
     * Sends {@code text} (as a JSON string) to {@code to}, e.g. with
     * {@link SendOptions#withReceipt()}. See {@link #sendJson(String, String, SendOptions)}.
     */
    public CompletableFuture<Ack> send(String to, String text, SendOptions options) {
        Objects.requireNonNull(text, "text");
        return sendChecked(to, Json.quote(text), options);
    }

    /**
     * @deprecated a bare boolean reads poorly at the call site: use
     *     {@code send(to, text, SendOptions.withReceipt())}
     */
    @Deprecated
    public CompletableFuture<Ack> send(String to, String text, boolean receipt) {
        return send(to, text, SendOptions.DEFAULT.receipt(receipt));
    }

    /** Sends a JSON value to {@code to}. See {@link #sendJson(String, String, SendOptions)}. */
    public CompletableFuture<Ack> sendJson(String to, String json) {
        return sendJson(to, json, SendOptions.DEFAULT);
    }

    /**
     * @deprecated use {@code sendJson(to, json, SendOptions.withReceipt())}
     */
    @Deprecated
    public CompletableFuture<Ack> sendJson(String to, String json, boolean receipt) {
        return sendJson(to, json, SendOptions.DEFAULT.receipt(receipt));
    }

    /**
     * Sends a JSON value to every open connection of user {@code to}; if they are offline it waits
     * in their stream's history for them.
     *
     * @param json one JSON value: {@code {"kind":"note"}}, {@code [1,2]}, {@code 42}, {@code "text"}
     * @param options e.g. {@link SendOptions#withReceipt()}: each connection of {@code to} that gets
     *     it confirms it, and the {@link Builder#onReceipt receipts} arrive at this client
     * @return completes when the server has accepted it — for a send the client had to write again
     *     after a dropped connection, possibly with the first ack marked {@link Ack#duplicate()}.
     *     It does not fail because a connection dropped or because there is none: the send waits in
     *     the client's queue (made while disconnected too) and is written again, in order, on the
     *     next connection, and the server delivers it once (its idempotency key). It fails only with
     *     {@link RequestFailedException} if the server refused it (e.g. {@code forbidden},
     *     {@code unavailable}: nothing was sent), {@link java.util.concurrent.RejectedExecutionException}
     *     if the queue was full ({@link ClientOptions#sendOverflow()}), or {@link ClientClosedException}
     * @throws IllegalArgumentException if {@code json} is not exactly one JSON value
     * @throws IllegalStateException if {@link #connect()} was not called
     */
    public CompletableFuture<Ack> sendJson(String to, String json, SendOptions options) {
        Objects.requireNonNull(json, "json");
        return sendChecked(to, Json.compact(json), options);
    }

    /**
     * Asks how many connections {@code user} has open.
     *
     * @return completes with the answer; fails as {@link #sendJson(String, String, SendOptions)} does
     * @throws IllegalStateException if {@link #connect()} was not called
     */
    public CompletableFuture<Presence> presence(String user) {
        requireUserId(user, "user");
        return core.request(id -> Frames.presence(id, user), Presence.class, false);
    }

    /** The current state. */
    public ConnectionState state() {
        return core.state();
    }

    /** This connection's id as the server knows it (receipts name it), or {@code null} when not open. */
    public String connectionId() {
        return core.connectionId();
    }

    /** Events accepted but not yet handed to the listeners; for tests of the bound. */
    int queuedEvents() {
        return core.queuedEvents();
    }

    /**
     * Closes for good: sends a normal close (1000), stops reconnecting, fails every waiting request
     * with {@link ClientClosedException}. Events already accepted are still delivered, then the
     * {@code CLOSED} state change, last. Idempotent; does not block.
     */
    @Override
    public void close() {
        core.close();
    }

    private CompletableFuture<Ack> sendChecked(String to, String messageJson, SendOptions options) {
        requireUserId(to, "to");
        String key = options.idempotencyKey() != null ? options.idempotencyKey() : SendOptions.newIdempotencyKey();
        return core.request(id -> Frames.send(id, to, messageJson, options.receipt(), key), Ack.class, true);
    }

    private static void requireUserId(String userId, String name) {
        Objects.requireNonNull(userId, name);
        if (userId.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    /**
     * Builds a {@link SwitchboardClient}. Identity: {@link #userId} (dev mode), {@link #token} or
     * {@link #tokenProvider} (token mode), or none of them for a send-only client. Not thread-safe.
     */
    public static final class Builder {
        private final URI uri;
        private String userId;
        private TokenProvider tokens;
        private boolean tokenRefreshable;
        private ClientOptions options = ClientOptions.defaults();
        private WebSocketTransport transport;
        private Consumer<Message> onMessage = ignored -> { };
        private Consumer<Receipt> onReceipt = ignored -> { };
        private Consumer<Presence> onPresence = ignored -> { };
        private Consumer<StateChange> onStateChange = ignored -> { };
        private Consumer<Resync> onResync = ignored -> { };
        private Consumer<Throwable> onError = ignored -> { };

        private Builder(URI uri) {
            this.uri = uri;
        }

        /** Dev mode: connect as this user ({@code ?userId=}); the server believes it. */
        public Builder userId(String value) {
            requireUserId(value, "userId");
            userId = value;
            return this;
        }

        /** Token mode with one token ({@code Authorization: Bearer}); when it expires (4001) the client closes. */
        public Builder token(String value) {
            Objects.requireNonNull(value, "token");
            tokens = () -> CompletableFuture.completedFuture(value);
            tokenRefreshable = false;
            return this;
        }

        /** Token mode, asking for a token before every attempt, so the client outlives each token. */
        public Builder tokenProvider(TokenProvider value) {
            tokens = Objects.requireNonNull(value, "tokenProvider");
            tokenRefreshable = true;
            return this;
        }

        public Builder options(ClientOptions value) {
            options = Objects.requireNonNull(value, "options");
            return this;
        }

        /**
         * What opens the WebSockets: {@code new JdkWebSocketTransport(httpClient)} (artifact
         * {@code switchboard-client}) or {@code new OkHttpWebSocketTransport(okHttpClient)}
         * ({@code switchboard-client-okhttp}), e.g. for TLS settings, a proxy, or to share one HTTP
         * client between clients. Default: the one on the class path ({@link WebSocketTransport}).
         */
        public Builder transport(WebSocketTransport value) {
            transport = Objects.requireNonNull(value, "transport");
            return this;
        }

        /** Each message to this client's user, once, in seq order. */
        public Builder onMessage(Consumer<Message> listener) {
            onMessage = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Each confirmation of a message this client sent with {@code receipt = true}. */
        public Builder onReceipt(Consumer<Receipt> listener) {
            onReceipt = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Another connection of this client's user opened or closed. */
        public Builder onPresence(Consumer<Presence> listener) {
            onPresence = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Every change of {@link ConnectionState}, with the close code and cause of a drop. */
        public Builder onStateChange(Consumer<StateChange> listener) {
            onStateChange = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** A reconnection could not replay what was missed: reload the application's state. */
        public Builder onResync(Consumer<Resync> listener) {
            onResync = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Problems that belong to no request: an error frame the server could not tie to a request
         * (notably {@code rate_limited}; that request then times out), or an unreadable frame.
         */
        public Builder onError(Consumer<Throwable> listener) {
            onError = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @throws IllegalStateException if both a userId and a token were given (in token mode the
         *     identity is the token's), or no {@link #transport} was given and none is found on the
         *     class path (or several, and the system property {@code dev.switchboard.client.transport}
         *     names none of them)
         */
        public SwitchboardClient build() {
            if (userId != null && tokens != null) {
                throw new IllegalStateException("give a userId (dev mode) or a token (token mode), not both");
            }
            WebSocketTransport chosen = transport != null ? transport : Transports.discover();
            String name = "switchboard-client-" + CLIENTS.incrementAndGet();
            ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, daemon(name));
            thread.setRemoveOnCancelPolicy(true);
            EventDispatcher events = new EventDispatcher(Executors.newSingleThreadExecutor(daemon(name + "-events")),
                    new Listeners(onMessage, onReceipt, onPresence, onStateChange, onResync, onError),
                    options.maxQueuedEvents());
            return new SwitchboardClient(new ClientCore(uri, userId, tokens, tokenRefreshable, options, chosen,
                    thread, events));
        }

        private static java.util.concurrent.ThreadFactory daemon(String name) {
            return task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
