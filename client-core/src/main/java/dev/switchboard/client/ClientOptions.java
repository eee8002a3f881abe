package dev.switchboard.client;

import java.time.Duration;
import java.util.Set;

/**
 * How a {@link SwitchboardClient} times, retries and bounds its work: an immutable value. Start from
 * {@link #defaults()} and change what you need with the {@code with…} methods.
 *
 * @param connectTimeout how long one attempt may take, from opening the socket to the server's
 *     welcome; a slower attempt is abandoned and retried
 * @param requestTimeout how long a presence query waits for its answer, counted from the call (so
 *     it includes waiting for a connection); then its future fails with a
 *     {@link java.util.concurrent.TimeoutException}. Sends do not time out: they wait in the queue,
 *     across reconnects, until the server acknowledges them
 * @param reconnectDelay the first delay before reconnecting; each failed attempt doubles it, up to
 *     {@code maxReconnectDelay}; each delay is jittered down by up to half (equal jitter), so
 *     clients cut off together do not come back together. The delay is back at its start once a
 *     connection is welcomed.
 * @param maxReconnectDelay the longest delay between attempts
 * @param pingInterval after this long without hearing from the server the client pings it; when
 *     nothing at all arrives for another interval, the connection is considered dead (a half-open
 *     TCP connection, which TCP itself may not notice for many minutes) and replaced, within about
 *     2.5 intervals of the silence starting; {@link Duration#ZERO} turns this off
 * @param maxPendingRequests requests (sends and queries) that may await their answer at once —
 *     for sends, the queue of what is not yet acknowledged, which survives reconnects; beyond it
 *     {@code sendOverflow} decides
 * @param sendOverflow what a send beyond {@code maxPendingRequests} does: {@link SendOverflow#REJECT_NEW}
 *     (the default: the new send fails at once with a
 *     {@link java.util.concurrent.RejectedExecutionException}, what is queued stays) or
 *     {@link SendOverflow#DROP_OLDEST} (the oldest queued send fails with one instead, the new one
 *     is queued). A query beyond the bound always fails at once
 * @param maxQueuedEvents events (messages, receipts, presence) accepted but not yet handed to the
 *     listeners; beyond this the client stops reading from the socket until the listeners catch up
 *     (the server then holds or, past its limit, drops the connection with {@code 4008}, and the
 *     client resumes without loss)
 * @param terminalCloseCodes close codes after which the client does not reconnect but closes;
 *     the default is {@code 1008} (the connection flooded past the rate limit: retrying would
 *     keep flooding) and {@code 4003} (an operator disconnected the user through the server API:
 *     coming straight back would defeat it). {@code 4001} (token expired) is decided apart: the
 *     client reconnects when it has a {@link TokenProvider}, and closes when its token is fixed.
 */
public record ClientOptions(
        Duration connectTimeout,
        Duration requestTimeout,
        Duration reconnectDelay,
        Duration maxReconnectDelay,
        Duration pingInterval,
        int maxPendingRequests,
        int maxQueuedEvents,
        Set<Integer> terminalCloseCodes,
        SendOverflow sendOverflow) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(30);
    /** Longer than the server's own ping interval (25 s), so a healthy idle connection is never pinged. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_PENDING_REQUESTS = 10_000;
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 1_000;
    public static final Set<Integer> DEFAULT_TERMINAL_CLOSE_CODES = Set.of(1008, 4003);

    /** What a send does when {@code maxPendingRequests} are already waiting. */
    public enum SendOverflow {
        /** The new send fails at once; what is queued stays (the default). */
        REJECT_NEW,
        /** The oldest queued send fails; the new one is queued. */
        DROP_OLDEST
    }

    private static final ClientOptions DEFAULTS = new ClientOptions(DEFAULT_CONNECT_TIMEOUT,
            DEFAULT_REQUEST_TIMEOUT, DEFAULT_RECONNECT_DELAY, DEFAULT_MAX_RECONNECT_DELAY, DEFAULT_PING_INTERVAL,
            DEFAULT_MAX_PENDING_REQUESTS, DEFAULT_MAX_QUEUED_EVENTS, DEFAULT_TERMINAL_CLOSE_CODES,
            SendOverflow.REJECT_NEW);

    public ClientOptions {
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("reconnectDelay", reconnectDelay);
        requirePositive("maxReconnectDelay", maxReconnectDelay);
        if (maxReconnectDelay.compareTo(reconnectDelay) < 0) {
            throw new IllegalArgumentException("maxReconnectDelay must be at least reconnectDelay");
        }
        if (pingInterval == null || pingInterval.isNegative()) {
            throw new IllegalArgumentException("pingInterval must be positive, or zero for off: " + pingInterval);
        }
        if (maxPendingRequests <= 0 || maxQueuedEvents <= 0) {
            throw new IllegalArgumentException("maxPendingRequests and maxQueuedEvents must be positive");
        }
        terminalCloseCodes = Set.copyOf(terminalCloseCodes);
        java.util.Objects.requireNonNull(sendOverflow, "sendOverflow");
    }

    /** Every default. */
    public static ClientOptions defaults() {
        return DEFAULTS;
    }

    public ClientOptions withConnectTimeout(Duration value) {
        return new ClientOptions(value, requestTimeout, reconnectDelay, maxReconnectDelay, pingInterval,
                maxPendingRequests, maxQueuedEvents, terminalCloseCodes, sendOverflow);
    }

    public ClientOptions withRequestTimeout(Duration value) {
        return new ClientOptions(connectTimeout, value, reconnectDelay, maxReconnectDelay, pingInterval,
                maxPendingRequests, maxQueuedEvents, terminalCloseCodes, sendOverflow);
    }

    /** The first and the longest delay between reconnection attempts. */
    public ClientOptions withReconnectDelay(Duration first, Duration max) {
        return new ClientOptions(connectTimeout, requestTimeout, first, max, pingInterval,
                maxPendingRequests, maxQueuedEvents, terminalCloseCodes, sendOverflow);
    }

    public ClientOptions withPingInterval(Duration value) {
        return new ClientOptions(connectTimeout, requestTimeout, reconnectDelay, maxReconnectDelay, value,
                maxPendingRequests, maxQueuedEvents, terminalCloseCodes, sendOverflow);
    }

    public ClientOptions withMaxPendingRequests(int value) {
        return new ClientOptions(connectTimeout, requestTimeout, reconnectDelay, maxReconnectDelay, pingInterval,
                value, maxQueuedEvents, terminalCloseCodes, sendOverflow);
    }

    public ClientOptions withMaxQueuedEvents(int value) {
        return new ClientOptions(connectTimeout, requestTimeout, reconnectDelay, maxReconnectDelay, pingInterval,
                maxPendingRequests, value, terminalCloseCodes, sendOverflow);
    }

    public ClientOptions withTerminalCloseCodes(Set<Integer> value) {
        return new ClientOptions(connectTimeout, requestTimeout, reconnectDelay, maxReconnectDelay, pingInterval,
                maxPendingRequests, maxQueuedEvents, value, sendOverflow);
    }

    /** The send queue's bound and what a send beyond it does. */
    public ClientOptions withSendQueue(int maxPendingRequests, SendOverflow overflow) {
        return new ClientOptions(connectTimeout, requestTimeout, reconnectDelay, maxReconnectDelay, pingInterval,
                maxPendingRequests, maxQueuedEvents, terminalCloseCodes, overflow);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
