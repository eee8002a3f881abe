package dev.switchboard.server;

import dev.switchboard.api.BasicHttpService;
import dev.switchboard.app.AppHttp;
import dev.switchboard.app.PairingAuthenticator;
import dev.switchboard.app.Pairings;
import dev.switchboard.app.RedisPairingStore;
import dev.switchboard.api.ServerApi;
import dev.switchboard.broker.Broker;
import dev.switchboard.broker.memory.MemoryBroker;
import dev.switchboard.broker.redis.RedisBroker;
import dev.switchboard.core.Clock;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.NodeIds;
import dev.switchboard.core.Scheduler;
import dev.switchboard.hub.Hub;
import dev.switchboard.hub.Heartbeat;
import dev.switchboard.metrics.LiveStats;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.metrics.MicrometerMetrics;
import dev.switchboard.node.Node;
import dev.switchboard.transport.TlsContexts;
import dev.switchboard.transport.TransportOptions;
import dev.switchboard.transport.TransportSecurity;
import dev.switchboard.transport.TransportServer;
import dev.switchboard.transport.InboundGate;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running Switchboard server: the composition root, the only class that knows every
 * implementation. Start one with {@link #start}; {@link #close} shuts it down gracefully (clients
 * get 1001) within the configured shutdown timeout.
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);
    /** Heartbeat checks happen at least this often, so timeouts fire within this much of their due time. */
    private static final Duration MAX_HEARTBEAT_TICK = Duration.ofSeconds(1);
    /** How long a cluster node waits for Redis at start before starting not ready. */
    private static final Duration CLUSTER_START_WAIT = Duration.ofSeconds(3);

    private final ServerConfig config;
    private final Node node;
    private final TransportServer transport;
    private final PrometheusMeterRegistry meters;
    private final JvmGcMetrics gcMetrics;
    private final Scheduler.Cancellable heartbeatTask;
    private final ExecutorScheduler ownedScheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The live-transcript app's stats and pairings: their timers stop with the server. */
    private final AutoCloseable appResources;

    private SwitchboardServer(ServerConfig config, Node node, TransportServer transport,
                              PrometheusMeterRegistry meters, JvmGcMetrics gcMetrics,
                              Scheduler.Cancellable heartbeatTask, ExecutorScheduler ownedScheduler,
                              AutoCloseable appResources) {
        this.appResources = appResources;
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

        String nodeId = NodeIds.random();
        LiveStats stats = new LiveStats(clock, timers);
        MicrometerMetrics micrometer = new MicrometerMetrics(meters);
        Metrics metrics = Metrics.both(micrometer, stats);
        Node node = node(config, nodeId, clock, timers, metrics);
        micrometer.bindGauges(node::users, node::connectionCount);
        startNode(node, config);
        Pairings pairings = pairings(config, clock, timers);
        AutoCloseable appResources = () -> {
            stats.close();
            if (pairings != null) {
                pairings.close();
            }
        };
        io.micrometer.core.instrument.Gauge.builder("switchboard.broker.ready", node, n -> n.ready() ? 1 : 0)
                .description("1 while the node's broker can carry messages (a cluster node: Redis reachable and"
                        + " its subscription answering), else 0").register(meters);
        ServerApi api = new ServerApi(node, config.apiKey());

        TransportServer transport;
        try {
            TransportSecurity security = SecurityFactory.build(config, clock);
            BasicHttpService http = new BasicHttpService(node, api,
                    new AppHttp(node, api, stats, pairings, pairings == null ? null : security.authenticator()),
                    meters::scrape, Instant.now());
            if (pairings != null) {
                security = security.withAuthenticator(new PairingAuthenticator(security.authenticator(), pairings));
            }
            TransportOptions options = transportOptions(config);
            InboundGate gate = new InboundGate(node, metrics, clock, security.sendPolicy(),
                    options.maxMessagesPerSecond(), options.messageBurst());
            transport = TransportServer.bind(options, security, node, metrics, clock, http,
                    List.of(new PlainProtocol(gate), new EnvelopeProtocol(node, gate)));
        } catch (InterruptedException | RuntimeException e) {
            closeQuietly(appResources);
            node.close();
            gcMetrics.close();
            meters.close();
            if (owned != null) {
                owned.close();
            }
            throw e;
        }
        Heartbeat heartbeat = new Heartbeat(clock, config.pingInterval(), config.idleTimeout(), node::forEachSession);
        Scheduler.Cancellable task = timers.scheduleAtFixedRate(heartbeat::tick, heartbeatTick(config));

        log.info("Switchboard listening on {}://{}:{}/ ({} transport, {} I/O threads{})",
                config.tls() ? "wss" : "ws", config.host(), transport.port(), transport.isNative() ? "epoll" : "nio",
                config.ioThreads(), config.tls() ? ", TLS by " + TlsContexts.provider() : "");
        if (config.tokenMode()) {
            log.info("token mode: identities come from signed JWTs ({}); send policy {}",
                    config.jwtSecret() != null ? "HS256" : "RS256/ES256 public key",
                    config.effectiveSendPolicy().flagValue());
        } else {
            log.warn("dev mode: identities come from ?userId= and are NOT verified; do not expose this server"
                    + " to untrusted clients (turn on token mode with --jwt-secret or --jwt-public-key)");
        }
        log.info("server API {}", api.enabled() ? "on at /api/ (Authorization: Bearer <api key>)"
                : "off (start with --api-key to turn it on)");
        return new SwitchboardServer(config, node, transport, meters, gcMetrics, task, owned, appResources);
    }

    /** The node on its backend: in memory alone, or on Redis in a cluster. */
    private static Node node(ServerConfig config, String nodeId, Clock clock, Scheduler timers, Metrics metrics) {
        if (config.redis() == null) {
            MemoryBroker memory = new MemoryBroker(clock, timers, config.historySize(), config.historyTtl());
            return new Node(nodeId, new Hub(), memory, memory, memory, metrics, clock);
        }
        RedisBroker redis = new RedisBroker(config.redis(), nodeId, clock, timers, config.historySize(),
                config.historyTtl(), config.clusterAckTimeout());
        return new Node(nodeId, new Hub(), redis, redis, redis, metrics, clock);
    }

    /**
     * Starts the node's broker. A cluster node whose Redis does not answer within
     * {@link #CLUSTER_START_WAIT} starts anyway: it reports not ready on {@code /health}, refuses
     * handshakes with 503, and keeps trying.
     */
    private static void startNode(Node node, ServerConfig config) throws InterruptedException {
        java.util.concurrent.CompletableFuture<Void> started = node.start();
        if (config.redis() == null) {
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

    /**
     * Pairing in token mode, {@code null} in dev mode: in memory on a single node; in Redis, on a
     * connection of its own, in a cluster, where this waits at most {@link #CLUSTER_START_WAIT}
     * for the nodes' shared device key (without it pairing answers 503 until Redis answers).
     */
    private static Pairings pairings(ServerConfig config, Clock clock, Scheduler timers) throws InterruptedException {
        if (!config.tokenMode()) {
            return null;
        }
        if (config.redis() == null) {
            return Pairings.inMemory(clock, timers);
        }
        Pairings pairings = new Pairings(clock, timers, new RedisPairingStore(config.redis(), clock));
        try {
            pairings.ready().get(CLUSTER_START_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("pairing: no device key from Redis yet; /app/pair answers 503 and device tokens are refused"
                    + " until Redis answers");
        }
        return pairings;
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
        closeQuietly(appResources);
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

    private static Duration heartbeatTick(ServerConfig config) {
        Duration shortest = config.pingInterval().compareTo(config.idleTimeout()) < 0
                ? config.pingInterval() : config.idleTimeout();
        Duration quarter = shortest.dividedBy(4);
        if (quarter.isZero()) {
            quarter = Duration.ofMillis(1);
        }
        return quarter.compareTo(MAX_HEARTBEAT_TICK) < 0 ? quarter : MAX_HEARTBEAT_TICK;
    }

    private static TransportOptions transportOptions(ServerConfig config) {
        return new TransportOptions(config.host(), config.port(), config.ioThreads(), config.nativeTransport(),
                config.maxMessageBytes(), config.maxOutboundBytes(), config.maxHttpBodyBytes(),
                config.maxHeaderBytes(), config.closeTimeout(), config.handshakeTimeout(),
                config.permessageDeflate(), config.maxMessagesPerSecond(), config.messageBurst(),
                config.maxConnectionsOrAuto(), config.maxConnectionsPerUser());
    }
}
