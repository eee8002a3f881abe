package dev.switchboard.testing;

import dev.switchboard.auth.TestTokens;
import dev.switchboard.core.Clock;
import dev.switchboard.core.Scheduler;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;

import java.time.Duration;

/** Starts real servers for tests: loopback only, a free port, a short shutdown timeout. */
public final class TestServers {
    /** Shorter than the default so a shutdown that hangs fails a test quickly. */
    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private TestServers() {
    }

    /** The defaults, on 127.0.0.1 and a port the system picks. */
    public static ServerConfig config() {
        return ServerConfig.defaults()
                .withHost("127.0.0.1")
                .withPort(0)
                .withShutdownTimeout(SHUTDOWN_TIMEOUT);
    }

    /**
     * {@link #config()} without the per-connection rate limit, for tests that push hundreds of
     * messages a second through one connection on purpose (ordering, floods of bad frames).
     */
    public static ServerConfig bulkConfig() {
        return config().toBuilder().maxMessagesPerSecond(0).build();
    }

    /** {@link #config()} in token mode: HS256 with {@link TestTokens#SECRET}, the mode's default send policy. */
    public static ServerConfig tokenConfig() {
        return config().toBuilder().jwtSecret(TestTokens.SECRET).build();
    }

    public static SwitchboardServer start() throws InterruptedException {
        return SwitchboardServer.start(config());
    }

    public static SwitchboardServer start(ServerConfig config) throws InterruptedException {
        return SwitchboardServer.start(config);
    }

    /** A server whose heartbeat runs only when the test runs {@code scheduler}. */
    public static SwitchboardServer start(ServerConfig config, Clock clock, Scheduler scheduler)
            throws InterruptedException {
        return SwitchboardServer.start(config, clock, scheduler);
    }
}
