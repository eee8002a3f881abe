package dev.switchboard.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How a {@link SwitchboardClient} times, retries and bounds its work: an immutable value. Start from
 * {@link #defaults()} and change what you need with the {@code with…} methods.
 *
 * <dl>
 * <dt>{@code connectTimeout}</dt>
 * <dd>how long one attempt may take, from opening the socket to the server's welcome; a slower attempt
 *     is abandoned and retried</dd>
 * <dt>{@code requestTimeout}</dt>
 * <dd>how long a presence query waits for its answer, counted from the call (so it includes waiting for
 *     a connection); then its future fails with a {@link java.util.concurrent.TimeoutException}. Sends
 *     do not time out: they wait in the queue, across reconnects, until the server acknowledges them</dd>
 * <dt>{@code reconnectDelay}</dt>
 * <dd>the first delay before reconnecting; each failed attempt doubles it, up to {@code
 *     maxReconnectDelay}; each delay is jittered down by up to half (equal jitter), so clients cut off
 *     together do not come back together. The delay is back at its start once a connection is welcomed.</dd>
 * <dt>{@code maxReconnectDelay}</dt>
 * <dd>the longest delay between attempts</dd>
 * <dt>{@code pingInterval}</dt>
 * <dd>after this long without hearing from the server the client pings it; when nothing at all arrives
 *     for another interval, the connection is considered dead (a half-open TCP connection, which TCP
 *     itself may not notice for many minutes) and replaced, within about 2.5 intervals of the silence
 *     starting; {@link Duration#ZERO} turns this off</dd>
 * <dt>{@code maxPendingRequests}</dt>
 * <dd>requests (sends and queries) that may await their answer at once — for sends, the queue of what
 *     is not yet acknowledged, which survives reconnects; beyond it {@code sendOverflow} decides</dd>
 * <dt>{@code sendOverflow}</dt>
 * <dd>what a send beyond {@code maxPendingRequests} does: {@link SendOverflow#REJECT_NEW} (the default:
 *     the new send fails at once with a {@link java.util.concurrent.RejectedExecutionException}, what
 *     is queued stays) or {@link SendOverflow#DROP_OLDEST} (the oldest queued send fails with one
 *     instead, the new one is queued). A query beyond the bound always fails at once</dd>
 * <dt>{@code maxQueuedEvents}</dt>
 * <dd>events (messages, receipts, presence) accepted but not yet handed to the listeners; beyond this
 *     the client stops reading from the socket until the listeners catch up (the server then holds or,
 *     past its limit, drops the connection with {@code 4008}, and the client resumes without loss)</dd>
 * <dt>{@code terminalCloseCodes}</dt>
 * <dd>close codes after which the client does not reconnect but closes; the default is {@code 1008}
 *     (the connection flooded past the rate limit: retrying would keep flooding) and {@code 4003} (an
 *     operator disconnected the user through the server API: coming straight back would defeat it).
 *     {@code 4001} (token expired) is decided apart: the client reconnects when it has a {@link
 *     TokenProvider}, and closes when its token is fixed.</dd>
 * </dl>
 */
public final class ClientOptions {
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration reconnectDelay;
    private final Duration maxReconnectDelay;
    private final Duration pingInterval;
    private final int maxPendingRequests;
    private final int maxQueuedEvents;
    private final Set<Integer> terminalCloseCodes;
    private final SendOverflow sendOverflow;

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(30);
    /** Longer than the server's own ping interval (25 s), so a healthy idle connection is never pinged. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_PENDING_REQUESTS = 10_000;
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 1_000;
    public static final Set<Integer> DEFAULT_TERMINAL_CLOSE_CODES =
            Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(1008, 4003)));

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

    /** Checks every value; see the class description for what each means. */
    public ClientOptions(Duration connectTimeout, Duration requestTimeout, Duration reconnectDelay,
                         Duration maxReconnectDelay, Duration pingInterval, int maxPendingRequests,
                         int maxQueuedEvents, Set<Integer> terminalCloseCodes, SendOverflow sendOverflow) {
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
        java.util.Objects.requireNonNull(sendOverflow, "sendOverflow");
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.reconnectDelay = reconnectDelay;
        this.maxReconnectDelay = maxReconnectDelay;
        this.pingInterval = pingInterval;
        this.maxPendingRequests = maxPendingRequests;
        this.maxQueuedEvents = maxQueuedEvents;
        this.terminalCloseCodes = Collections.unmodifiableSet(new LinkedHashSet<>(terminalCloseCodes));
        this.sendOverflow = sendOverflow;
    }

    /** {@code connectTimeout}: see the class description. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** {@code requestTimeout}: see the class description. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** {@code reconnectDelay}: see the class description. */
    public Duration reconnectDelay() {
        return reconnectDelay;
    }

    /** {@code maxReconnectDelay}: see the class description. */
    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }

    /** {@code pingInterval}: see the class description. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** {@code maxPendingRequests}: see the class description. */
    public int maxPendingRequests() {
        return maxPendingRequests;
    }

    /** {@code maxQueuedEvents}: see the class description. */
    public int maxQueuedEvents() {
        return maxQueuedEvents;
    }

    /** {@code terminalCloseCodes}: see the class description. */
    public Set<Integer> terminalCloseCodes() {
        return terminalCloseCodes;
    }

    /** {@code sendOverflow}: see the class description. */
    public SendOverflow sendOverflow() {
        return sendOverflow;
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

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ClientOptions)) {
            return false;
        }
        ClientOptions that = (ClientOptions) other;
        return connectTimeout.equals(that.connectTimeout) && requestTimeout.equals(that.requestTimeout)
                && reconnectDelay.equals(that.reconnectDelay) && maxReconnectDelay.equals(that.maxReconnectDelay)
                && pingInterval.equals(that.pingInterval) && maxPendingRequests == that.maxPendingRequests
                && maxQueuedEvents == that.maxQueuedEvents && terminalCloseCodes.equals(that.terminalCloseCodes)
                && sendOverflow == that.sendOverflow;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(connectTimeout, requestTimeout, reconnectDelay, maxReconnectDelay, pingInterval,
                maxPendingRequests, maxQueuedEvents, terminalCloseCodes, sendOverflow);
    }

    @Override
    public String toString() {
        return "ClientOptions[connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", reconnectDelay=" + reconnectDelay + ", maxReconnectDelay=" + maxReconnectDelay
                + ", pingInterval=" + pingInterval + ", maxPendingRequests=" + maxPendingRequests
                + ", maxQueuedEvents=" + maxQueuedEvents + ", terminalCloseCodes=" + terminalCloseCodes
                + ", sendOverflow=" + sendOverflow + "]";
    }
}
