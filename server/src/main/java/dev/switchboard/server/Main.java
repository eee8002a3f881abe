package dev.switchboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.switchboard.auth.SendPolicy;
import dev.switchboard.broker.redis.ClusterOptions;
import dev.switchboard.core.Durations;
import dev.switchboard.core.Sizes;
import dev.switchboard.history.HistoryOptions;
import dev.switchboard.hub.HeartbeatOptions;
import dev.switchboard.transport.TransportOptions;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code switchboard}: the command line. Every flag also reads an environment variable (see --help). */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, showDefaultValues = true,
        description = "Delivers real-time messages over WebSocket to the users you name.",
        footer = {"", "Every flag can also be set by an environment variable: SWITCHBOARD_ and the flag's name"
                + " in capitals with underscores, e.g. SWITCHBOARD_PORT=8080 or SWITCHBOARD_IDLE_TIMEOUT=90s."
                + " A flag on the command line wins over the environment."})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = TransportOptions.DEFAULT_HOST, description = "Address to listen on.")
    String host;

    @Option(names = "--port", defaultValue = "" + TransportOptions.DEFAULT_PORT,
            description = "Port for WebSocket and HTTP.")
    int port;

    @Option(names = "--io-threads", description = "Event-loop threads (default: one per CPU core).")
    Integer ioThreads;

    @Option(names = "--max-message-bytes", converter = SizeConverter.class,
            defaultValue = "" + TransportOptions.DEFAULT_MAX_MESSAGE_BYTES,
            description = "Largest inbound frame or fragmented message; above it the connection is closed with 1009.")
    int maxMessageBytes;

    @Option(names = "--max-outbound-bytes", converter = SizeConverter.class,
            defaultValue = "" + TransportOptions.DEFAULT_MAX_OUTBOUND_BYTES,
            description = "Most bytes waiting to be written to one connection; above it the connection is"
                    + " closed with 4008 (slow consumer).")
    int maxOutboundBytes;

    @Option(names = "--ping-interval", converter = DurationConverter.class,
            defaultValue = HeartbeatOptions.DEFAULT_PING_INTERVAL,
            description = "Ping a connection after this long without a frame from it.")
    Duration pingInterval;

    @Option(names = "--idle-timeout", converter = DurationConverter.class,
            defaultValue = HeartbeatOptions.DEFAULT_IDLE_TIMEOUT,
            description = "Close (4000) a connection that sent nothing, not even a pong, for this long.")
    Duration idleTimeout;

    @Option(names = "--max-connection-age", converter = DurationConverter.class,
            defaultValue = HeartbeatOptions.DEFAULT_MAX_CONNECTION_AGE,
            description = "Close (1012) a connection this old, each between 90% and 100% of it, so clients "
                    + "reconnect and spread over the nodes behind the load balancer; 0 for never.")
    Duration maxConnectionAge;

    @Option(names = "--shutdown-timeout", converter = DurationConverter.class,
            defaultValue = ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT,
            description = "On SIGTERM/SIGINT, the longest to wait for connections to close.")
    Duration shutdownTimeout;

    @Option(names = "--native", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Use native epoll when available (--no-native forces NIO).")
    boolean nativeTransport;

    @Option(names = "--handshake-timeout", converter = DurationConverter.class,
            defaultValue = TransportOptions.DEFAULT_HANDSHAKE_TIMEOUT,
            description = "A connection must complete its HTTP request or WebSocket handshake within this"
                    + " (a client dripping its headers is cut off).")
    Duration handshakeTimeout;

    @Option(names = "--max-header-bytes", converter = SizeConverter.class,
            defaultValue = "" + TransportOptions.DEFAULT_MAX_HEADER_BYTES,
            description = "Largest HTTP header block; above it the request gets 431.")
    int maxHeaderBytes;

    @Option(names = "--max-messages-per-second", defaultValue = "" + (long) TransportOptions.DEFAULT_MAX_MESSAGES_PER_SECOND,
            description = "Inbound messages per connection per second (token bucket); over it a message gets"
                    + " the rate_limited error. 0 turns the limit off.")
    double maxMessagesPerSecond;

    @Option(names = "--message-burst", defaultValue = "" + TransportOptions.DEFAULT_MESSAGE_BURST,
            description = "Bucket size of the rate limit. A connection that keeps sending after this many"
                    + " refusals in a row is closed with 1008.")
    int messageBurst;

    @Option(names = "--max-connections", defaultValue = "0",
            description = "Total connections; over it a handshake gets 503. 0: the open-file limit less "
                    + TransportOptions.FILE_RESERVE + ".")
    int maxConnections;

    @Option(names = "--max-connections-per-user", defaultValue = "" + TransportOptions.DEFAULT_MAX_CONNECTIONS_PER_USER,
            description = "Connections one user may hold; over it a handshake gets 429.")
    int maxConnectionsPerUser;

    @Option(names = "--permessage-deflate", defaultValue = "false",
            description = "Offer WebSocket compression (permessage-deflate). The inflated size stays bounded"
                    + " by --max-message-bytes.")
    boolean permessageDeflate;

    @Option(names = "--jwt-secret", description = "Token mode with HS256: the shared secret (at least 32 bytes)."
            + " Prefer the environment variable, which ps does not show.")
    String jwtSecret;

    @Option(names = "--jwt-public-key", paramLabel = "FILE",
            description = "Token mode with RS256 or ES256: a PEM public key or certificate.")
    Path jwtPublicKey;

    @Option(names = "--jwt-issuer", description = "In token mode, the required iss claim.")
    String jwtIssuer;

    @Option(names = "--jwt-audience", description = "In token mode, the required aud value.")
    String jwtAudience;

    @Option(names = "--send-policy", paramLabel = "any|self|claim",
            description = "Who may send to whom: any (dev-mode default), self (token-mode default), or claim"
                    + " (the users in the token's sendTo claim).")
    String sendPolicy;

    @Option(names = "--allowed-origins", split = ",", paramLabel = "ORIGIN",
            description = "Browser origins allowed to connect (exact match, comma-separated); others get 403."
                    + " Default: every origin.")
    Set<String> allowedOrigins;

    @Option(names = "--api-key", description = "Turns on the HTTP server API (/api/...), authenticated by"
            + " Authorization: Bearer KEY. Prefer the environment variable.")
    String apiKey;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve wss:// and https:// with this PEM"
            + " certificate chain (with --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key (PKCS#8) for --tls-cert.")
    Path tlsKey;

    @Option(names = "--history-size", defaultValue = "" + HistoryOptions.DEFAULT_SIZE,
            description = "Messages kept per user for recovery after a reconnect (switchboard.v1).")
    int historySize;

    @Option(names = "--history-ttl", converter = DurationConverter.class, defaultValue = HistoryOptions.DEFAULT_TTL,
            description = "How long a message stays recoverable; a user's stream without messages or"
                    + " connections for this long is dropped.")
    Duration historyTtl;

    @Option(names = "--history-max-bytes", converter = LongSizeConverter.class,
            description = "The most bytes of history kept, all users together, off the heap (e.g. 256MiB, 2GiB);"
                    + " when full, the oldest messages go first. Default: a sixteenth of the machine's memory,"
                    + " between 64 MiB and 1 GiB.")
    Long historyMaxBytes;

    @Option(names = "--history-max-bytes-per-user", converter = LongSizeConverter.class,
            defaultValue = "" + HistoryOptions.DEFAULT_MAX_BYTES_PER_USER,
            description = "The most bytes of one user's history (in a cluster, of the user's stream in Redis);"
                    + " beyond it the user's oldest messages go, as beyond --history-size.")
    long historyMaxBytesPerUser;

    @Option(names = "--redis", paramLabel = "URI",
            description = "Join a cluster through Redis: one Redis (redis://host:6379, rediss://, redis-sentinel://"
                    + "host:26379#master), client-side shards (several of those, comma-separated; the first is the"
                    + " home) or a Redis Cluster (redis-cluster://host:port[,host:port...]); without it the node runs"
                    + " alone in memory.")
    String redis;

    @Option(names = "--cluster-ack-timeout", converter = DurationConverter.class,
            defaultValue = ClusterOptions.DEFAULT_ACK_TIMEOUT,
            description = "How long a send waits for the other nodes' delivery counts before answering"
                    + " with \"partial\":true.")
    Duration clusterAckTimeout;

    @Option(names = "--app", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Serve the live-transcript app (its pages, the dashboard and pairing) when it is in the"
                    + " jar; --no-app turns it off (its paths answer 404).")
    boolean app;

    @Option(names = "--log-level", defaultValue = "info",
            description = "Log level: error, warn, info, debug, trace.")
    String logLevel;

    public static void main(String[] args) {
        int exit = commandLine().execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setDefaultValueProvider(new EnvironmentDefaults(System.getenv()))
                .setParameterExceptionHandler(Main::badArguments);
    }

    /**
     * A wrong flag or value: the one line that says what is wrong (and, for a misspelt flag, what
     * was meant), then where the rest is — not the whole usage, which would bury that line.
     */
    /** " (from SWITCHBOARD_PORT)" when the bad value came from the environment, not the command line. */
    private static String fromEnvironment(CommandLine.ParameterException e, String[] args) {
        if (!(e.getArgSpec() instanceof CommandLine.Model.OptionSpec option)) {
            return "";
        }
        for (String arg : args) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return "";
                }
            }
        }
        String variable = EnvironmentDefaults.variableFor(option.longestName());
        return System.getenv(variable) == null ? "" : " (from " + variable + ")";
    }

    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        java.io.PrintWriter err = e.getCommandLine().getErr();
        err.println("switchboard: " + e.getMessage() + fromEnvironment(e, args));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run with --help for every flag and its default; each can also be set as SWITCHBOARD_<FLAG>"
                + " (e.g. SWITCHBOARD_MAX_MESSAGE_BYTES).");
        err.flush();
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }

    ServerConfig config() {
        ServerConfig.Builder config = ServerConfig.builder()
                .host(host).port(port).nativeTransport(nativeTransport).app(app)
                .maxMessageBytes(maxMessageBytes).maxOutboundBytes(maxOutboundBytes).maxHeaderBytes(maxHeaderBytes)
                .pingInterval(pingInterval).idleTimeout(idleTimeout).maxConnectionAge(maxConnectionAge)
                .shutdownTimeout(shutdownTimeout)
                .handshakeTimeout(handshakeTimeout)
                .maxMessagesPerSecond(maxMessagesPerSecond).messageBurst(messageBurst)
                .maxConnections(maxConnections).maxConnectionsPerUser(maxConnectionsPerUser)
                .permessageDeflate(permessageDeflate)
                .jwtSecret(blankToNull(jwtSecret)).jwtPublicKey(jwtPublicKey)
                .jwtIssuer(blankToNull(jwtIssuer)).jwtAudience(blankToNull(jwtAudience))
                .sendPolicy(sendPolicy == null ? null : SendPolicy.parse(sendPolicy))
                .allowedOrigins(allowedOrigins == null ? Set.of() : allowedOrigins)
                .apiKey(blankToNull(apiKey))
                .tls(tlsCert, tlsKey)
                .historySize(historySize).historyTtl(historyTtl)
                .historyMaxBytes(historyMaxBytes == null ? HistoryOptions.defaultMaxBytes() : historyMaxBytes)
                .historyMaxBytesPerUser(historyMaxBytesPerUser)
                .redis(blankToNull(redis)).clusterAckTimeout(clusterAckTimeout);
        if (ioThreads != null) {
            config.ioThreads(ioThreads);
        }
        return config.build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public Integer call() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (!java.util.Set.of("error", "warn", "info", "debug", "trace").contains(logLevel.toLowerCase(java.util.Locale.ROOT))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--log-level must be error, warn, info, debug or trace: '" + logLevel + "'");
        }
        logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(logLevel, Level.INFO));
        ServerConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        SwitchboardServer server;
        try {
            server = SwitchboardServer.start(config);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            // A key, certificate or file that cannot be used: say which, without a stack trace.
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            logging.stop();
            stopped.countDown();
        }, "switchboard-shutdown"));
        stopped.await();
        return 0;
    }

    /** Reads the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"switchboard " + (version == null ? "(development build)" : version)};
        }
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }

    static final class SizeConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return Sizes.parse(value);
        }
    }

    static final class LongSizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Sizes.parseLong(value);
        }
    }
}
