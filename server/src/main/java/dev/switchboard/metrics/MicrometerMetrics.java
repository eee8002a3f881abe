package dev.switchboard.metrics;

import dev.switchboard.core.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * {@link Metrics} on Micrometer. Meter names (Prometheus form in brackets) are documented in the
 * README; counters are created up front so the hot path only increments.
 */
public final class MicrometerMetrics implements Metrics {
    private final MeterRegistry registry;
    private final Counter framesReceived;
    private final Counter messagesRouted;
    private final Counter messagesDelivered;
    private final Counter offlineSends;
    private final Counter missedDuringOutage;
    private final Timer routeTimer;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Map<Integer, Counter> serverCloses = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> handshakeRejections = new ConcurrentHashMap<>();

    /** The counters; the gauges follow with {@link #bindGauges}, once what they read exists. */
    public MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
        framesReceived = Counter.builder("switchboard.frames.received")
                .description("Data frames received from clients").register(registry);
        messagesRouted = Counter.builder("switchboard.messages.routed")
                .description("Valid sends routed").register(registry);
        messagesDelivered = Counter.builder("switchboard.messages.delivered")
                .description("Frames queued to connections (one per receiving connection)").register(registry);
        offlineSends = Counter.builder("switchboard.messages.offline")
                .description("Sends to a user with no open connection").register(registry);
        routeTimer = Timer.builder("switchboard.route.latency")
                .description("Time from receiving a frame to queuing its deliveries")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        missedDuringOutage = Counter.builder("switchboard.messages.missed")
                .description("Messages that plain connections (which cannot resume) may have missed during broker"
                        + " outages, one per connection and message; such connections are kept open")
                .register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("switchboard.errors")
                    .description("Bad frames answered with an error, by code")
                    .tag("code", code.wireName()).register(registry));
        }
    }

    /**
     * Registers the gauges of live connections and users online.
     *
     * @param connections open WebSocket connections, registered and send-only
     * @return this
     */
    public MicrometerMetrics bindGauges(IntSupplier users, IntSupplier connections) {
        Gauge.builder("switchboard.connections", connections::getAsInt)
                .description("Open WebSocket connections").register(registry);
        Gauge.builder("switchboard.users.online", users::getAsInt)
                .description("Users with at least one open connection on this node").register(registry);
        return this;
    }

    @Override
    public void frameReceived() {
        framesReceived.increment();
    }

    @Override
    public void messageRouted(int delivered, long routeNanos) {
        messagesRouted.increment();
        if (delivered == 0) {
            offlineSends.increment();
        } else {
            messagesDelivered.increment(delivered);
        }
        routeTimer.record(routeNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void error(ErrorCode code) {
        errors.get(code).increment();
    }

    @Override
    public void handshakeRejected(int status) {
        handshakeRejections.computeIfAbsent(status, code -> Counter.builder("switchboard.handshakes.rejected")
                .description("WebSocket handshakes refused, by HTTP status")
                .tag("status", Integer.toString(code)).register(registry)).increment();
    }

    @Override
    public void serverClose(int closeCode) {
        serverCloses.computeIfAbsent(closeCode, code -> Counter.builder("switchboard.closes")
                .description("Connections closed by the server, by close code")
                .tag("code", Integer.toString(code)).register(registry)).increment();
    }

    @Override
    public void missedDuringOutage(long messages) {
        missedDuringOutage.increment(messages);
    }
}
