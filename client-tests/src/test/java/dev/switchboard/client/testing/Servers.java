package dev.switchboard.client.testing;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;

import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Real servers for the client's tests, and client options that make reconnects quick. */
public final class Servers {
    /** Shorter than the default so a shutdown that hangs fails a test quickly. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private Servers() {
    }

    /** Loopback, a free port, no per-connection rate limit (tests send in bulk on purpose). */
    public static ServerConfig.Builder config() {
        return ServerConfig.builder().host("127.0.0.1").port(0).maxMessagesPerSecond(0)
                .shutdownTimeout(SHUTDOWN_TIMEOUT);
    }

    public static SwitchboardServer start() throws InterruptedException {
        return SwitchboardServer.start(config().build());
    }

    public static SwitchboardServer start(UnaryOperator<ServerConfig.Builder> change) throws InterruptedException {
        return SwitchboardServer.start(change.apply(config()).build());
    }

    /** {@code ws://127.0.0.1:<port>/} */
    public static URI uri(SwitchboardServer server) {
        return uri(server.port());
    }

    public static URI uri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/");
    }

    /** Reconnects within 20–200 ms, so tests that break connections stay fast. */
    public static ClientOptions fastOptions() {
        return ClientOptions.defaults()
                .withReconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .withConnectTimeout(Duration.ofSeconds(5))
                .withRequestTimeout(Duration.ofSeconds(5));
    }
}
