package dev.switchboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
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
    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST, description = "Address to listen on.")
    String host;

    @Option(names = "--port", defaultValue = "" + ServerConfig.DEFAULT_PORT,
            description = "Port for WebSocket and HTTP.")
    int port;

    @Option(names = "--io-threads", description = "Event-loop threads (default: one per CPU core).")
    Integer ioThreads;

    @Option(names = "--max-message-bytes", converter = SizeConverter.class,
            defaultValue = "" + ServerConfig.DEFAULT_MAX_MESSAGE_BYTES,
            description = "Largest inbound frame or fragmented message; above it the connection is closed with 1009.")
    int maxMessageBytes;

    @Option(names = "--max-outbound-bytes", converter = SizeConverter.class,
            defaultValue = "" + ServerConfig.DEFAULT_MAX_OUTBOUND_BYTES,
            description = "Most bytes waiting to be written to one connection; above it the connection is"
                    + " closed with 4008 (slow consumer).")
    int maxOutboundBytes;

    @Option(names = "--ping-interval", converter = DurationConverter.class,
            defaultValue = ServerConfig.DEFAULT_PING_INTERVAL,
            description = "Ping a connection after this long without a frame from it.")
    Duration pingInterval;

    @Option(names = "--idle-timeout", converter = DurationConverter.class,
            defaultValue = ServerConfig.DEFAULT_IDLE_TIMEOUT,
            description = "Close (4000) a connection that sent nothing, not even a pong, for this long.")
    Duration idleTimeout;

    @Option(names = "--shutdown-timeout", converter = DurationConverter.class,
            defaultValue = ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT,
            description = "On SIGTERM/SIGINT, the longest to wait for connections to close.")
    Duration shutdownTimeout;

    @Option(names = "--native", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Use native epoll when available (--no-native forces NIO).")
    boolean nativeTransport;

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
        return new CommandLine(new Main()).setDefaultValueProvider(new EnvironmentDefaults(System.getenv()));
    }

    ServerConfig config() {
        ServerConfig defaults = ServerConfig.defaults();
        return new ServerConfig(host, port, ioThreads == null ? defaults.ioThreads() : ioThreads,
                maxMessageBytes, maxOutboundBytes, defaults.maxHttpBodyBytes(), pingInterval, idleTimeout,
                shutdownTimeout, defaults.closeTimeout(), nativeTransport);
    }

    @Override
    public Integer call() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(logLevel, Level.INFO));
        SwitchboardServer server = SwitchboardServer.start(config());
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
}
