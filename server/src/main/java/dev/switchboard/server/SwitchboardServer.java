package dev.switchboard.server;

import dev.switchboard.api.AppEndpoints;
import dev.switchboard.api.BasicHttpService;
import dev.switchboard.api.ServerApi;
import dev.switchboard.broker.memory.MemoryBroker;
import dev.switchboard.broker.redis.RedisBroker;
import dev.switchboard.core.Clock;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.NodeIds;
import dev.switchboard.core.Scheduler;
import dev.switchboard.extension.ServerExtension;
import dev.switchboard.hub.Heartbeat;
import dev.switchboard.hub.HeartbeatOptions;
import dev.switchboard.hub.Hub;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.metrics.MicrometerMetrics;
import dev.switchboard.node.Node;
import dev.switchboard.transport.InboundGate;
import dev.switchboard.transport.TransportOptions;
import dev.switchboard.transport.TransportSecurity;
import dev.switchboard.transport.TransportServer;
import dev.switchboard.transport.plain.PlainProtocol;
import dev.switchboard.transport.v1.EnvelopeProtocol;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running Switchboard server: the composition root, the only class that knows every
 * implementation. Start one with {@link #start}; {@link #close} shuts it down gracefully (clients
 * get 1001) within the configured shutdown timeout. Each part of the configuration goes as it is to
 * the piece that uses it; the optional app ({@link ServerExtension}) is added only when it is on
 * and on the class path.
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);
    /** Heartbeat checks happen at least this often, so timeouts fire within this much of their due time. */
    private static final Duration MAX_HEARTBEAT_TICK = Duration.ofSeconds(1);
    /** How long a cluster node waits for Redis at start before starting not ready. */
    static final Duration CLUSTER_START_WAIT = Duration.ofSeconds(3);

    private final ServerConfig config;
    private final Node node;
    private final TransportServer transport;
    private final PrometheusMeterRegistry meters;
    private final JvmGcMetrics gcMetrics;
    private final Scheduler.Cancellable heartbeatTask;
    private final ExecutorScheduler ownedScheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** What the extension holds (timers, a Redis connection): closed with the server. */
    private final AutoCloseable extensionResources;

    private SwitchboardServer(ServerConfig config, Node node, TransportServer transport,
                              PrometheusMeterRegistry meters, JvmGcMetrics gcMetrics,
                              Scheduler.Cancellable heartbeatTask, ExecutorScheduler ownedScheduler,
                              AutoCloseable extensionResources) {
        this.extensionResources = extensionResources;
        this.config = config;
        this.node = node;
        this.transport = transport;
        this.meters = meters;
        this.gcMetrics = gcMetrics;
        this.heartbeatTask = heartbeatTask;
        this.ownedScheduler = ownedScheduler;
    }

    /** Starts a server on the system clock and its own timer thread. */
    public static SwitchboardServer start(ServerConfig config) throws InterruptedException {
        return start(config, Clock.SYSTEM, null);
    }

    /**
     * Starts a server with an injected clock and scheduler (tests drive time with these).
     *
     * @param scheduler runs the heartbeat; {@code null} for a timer thread owned by the server
     */
    public static SwitchboardServer start(ServerConfig config, Clock clock, Scheduler scheduler)
            throws InterruptedException {
        ExecutorScheduler owned = scheduler == null ? new ExecutorScheduler() : null;
        Scheduler timers = scheduler == null ? owned : scheduler;

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(meters);

        ServerExtension extension = config.app() ? extension() : null;
        MicrometerMetrics micrometer = new MicrometerMetrics(meters);
        Metrics metrics = extension == null ? micrometer : Metrics.both(micrometer, extension.metrics(clock, timers));
        Node node = node(config, NodeIds.random(), clock, timers, metrics, meters);
        micrometer.bindGauges(node::users, node::connectionCount);
        io.micrometer.core.instrument.Gauge.builder("switchboard.broker.ready", node, n -> n.ready() ? 1 : 0)
                .description("1 while the node's broker can carry messages (a cluster node: Redis reachable and"
                        + " its subscription answering), else 0").register(meters);
        startNode(node, config);
        ServerApi api = new ServerApi(node, config.security().apiKey());
        TransportSecurity security = SecurityFactory.build(config.security(), clock);
        ServerExtension.Parts parts = extension == null ? new ServerExtension.Parts(null, security.authenticator(),
                () -> { }) : extension.start(new ServerExtension.Context(node, api, security.authenticator(),
                config.security().tokenMode(), config.cluster().redis(), clock, timers));

        TransportServer transport;
        try {
            AppEndpoints endpoints = parts.endpoints();
            BasicHttpService http = new BasicHttpService(node, api, endpoints, meters::scrape, Instant.now());
            security = security.withAuthenticator(parts.authenticator());
            TransportOptions options = config.transport();
            InboundGate gate = new InboundGate(node, metrics, clock, security.sendPolicy(),
                    options.maxMessagesPerSecond(), options.messageBurst(), security.authenticator());
            transport = TransportServer.bind(options, security, node, metrics, clock, http,
                    List.of(new PlainProtocol(gate), new EnvelopeProtocol(node, gate)));
        } catch (InterruptedException | RuntimeException e) {
            closeQuietly(parts.resources());
            node.close();
            gcMetrics.close();
            meters.close();
            if (owned != null) {
                owned.close();
            }
            throw e;
        }
        HeartbeatOptions beat = config.heartbeat();
        Heartbeat heartbeat = new Heartbeat(clock, beat.pingInterval(), beat.idleTimeout(), beat.maxConnectionAge(),
                node::forEachSession);
        Scheduler.Cancellable task = timers.scheduleAtFixedRate(heartbeat::tick, heartbeatTick(beat));
        logStart(config, transport, api, extension);
        return new SwitchboardServer(config, node, transport, meters, gcMetrics, task, owned, parts.resources());
    }

    /** The extension on the class path (the live-transcript app), or {@code null} when there is none. */
    private static ServerExtension extension() {
        List<ServerExtension> found = ServiceLoader.load(ServerExtension.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        if (found.size() > 1) {
            throw new IllegalStateException("more than one server extension on the class path: " + found);
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private static void logStart(ServerConfig config, TransportServer transport, ServerApi api,
                                 ServerExtension extension) {
        TransportOptions options = config.transport();
        boolean tls = config.security().tls();
        log.info("Switchboard listening on {}://{}:{}/ ({} transport, {} I/O threads{})",
                tls ? "wss" : "ws", options.host(), transport.port(), transport.isNative() ? "epoll" : "nio",
                options.ioThreads(), tls ? ", TLS by " + TransportSecurity.tlsProvider() : "");
        if (config.security().tokenMode()) {
            log.info("token mode: identities come from signed JWTs ({}); send policy {}",
                    config.security().jwtSecret() != null ? "HS256" : "RS256/ES256 public key",
                    config.security().effectiveSendPolicy().flagValue());
        } else {
            log.warn("dev mode: identities come from ?userId= and are NOT verified; do not expose this server"
                    + " to untrusted clients (turn on token mode with --jwt-secret or --jwt-public-key)");
        }
        log.info("server API {}", api.enabled() ? "on at /api/ (Authorization: Bearer <api key>)"
                : "off (start with --api-key to turn it on)");
        if (extension != null) {
            log.info("{} on (--no-{} turns it off)", extension.name(), extension.name());
        } else if (config.app()) {
            log.info("no app on the class path: serving WebSockets, the API and /health, /metrics only");
        }
    }

    /** The node on its backend: in memory alone, or on Redis in a cluster. */
    private static Node node(ServerConfig config, String nodeId, Clock clock, Scheduler timers, Metrics metrics,
                             PrometheusMeterRegistry meters) {
        if (!config.cluster().enabled()) {
            MemoryBroker memory = new MemoryBroker(clock, timers, config.history(), config.transport().maxMessageBytes());
            HistoryMeters.bind(meters, memory.history());
            return new Node(nodeId, new Hub(), memory, memory, memory, metrics, clock);
        }
        RedisBroker redis = new RedisBroker(config.cluster().redis(), nodeId, clock, timers, config.history(),
                config.cluster().ackTimeout());
        return new Node(nodeId, new Hub(), redis, redis.presence(), redis, metrics, clock);
    }

    /**
     * Starts the node's broker. A cluster node whose Redis does not answer within
     * {@link #CLUSTER_START_WAIT} starts anyway: it reports not ready on {@code /health}, refuses
     * handshakes with 503, and keeps trying.
     */
    private static void startNode(Node node, ServerConfig config) throws InterruptedException {
        java.util.concurrent.CompletableFuture<Void> started = node.start();
        if (!config.cluster().enabled()) {
            started.join();
            return;
        }
        try {
            started.get(CLUSTER_START_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            log.info("cluster node {} joined through Redis", node.id());
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("cluster node {}: Redis does not answer yet; starting not ready and retrying every second",
                    node.id());
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            log.warn("cluster node {}: could not join through Redis ({}); starting not ready and retrying every"
                    + " second", node.id(), root.getMessage());
        }
    }

    /** The configuration it runs with. */
    public ServerConfig config() {
        return config;
    }

    /** The bound port. */
    public int port() {
        return transport.port();
    }

    /** The node (connections, publishing), for embedding and tests. */
    public Node node() {
        return node;
    }

    /**
     * Stops accepting, closes every connection with 1001 "going away", and stops, waiting at most
     * the shutdown timeout for connections to close. Idempotent; blocks.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        int open = node.connectionCount();
        log.info("shutting down: closing {} connection{}", open, open == 1 ? "" : "s");
        heartbeatTask.cancel();
        transport.stopAccepting();
        node.closeAll(CloseCodes.GOING_AWAY, "going away");
        transport.shutdown(config.shutdownTimeout());
        node.close();
        closeQuietly(extensionResources);
        gcMetrics.close();
        meters.close();
        if (ownedScheduler != null) {
            ownedScheduler.close();
        }
        log.info("stopped");
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("could not close {}", resource, e);
        }
    }

    private static Duration heartbeatTick(HeartbeatOptions beat) {
        Duration shortest = beat.pingInterval().compareTo(beat.idleTimeout()) < 0
                ? beat.pingInterval() : beat.idleTimeout();
        Duration quarter = shortest.dividedBy(4);
        if (quarter.isZero()) {
            quarter = Duration.ofMillis(1);
        }
        return quarter.compareTo(MAX_HEARTBEAT_TICK) < 0 ? quarter : MAX_HEARTBEAT_TICK;
    }
}
