package dev.switchboard.testing;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Scheduler;
import dev.switchboard.node.Node;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A real server for each test, and the clients the test opened, closed after it:
 * {@code @RegisterExtension final LiveServer server = new LiveServer();}. The server starts before
 * the class's own {@code @BeforeEach} methods and stops after its {@code @AfterEach} methods.
 */
public final class LiveServer implements BeforeEachCallback, AfterEachCallback {
    private final Supplier<ServerConfig> initial;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private SwitchboardServer server;

    /** The test defaults ({@link TestServers#config()}). */
    public LiveServer() {
        this(TestServers::config);
    }

    public LiveServer(Supplier<ServerConfig> initial) {
        this.initial = initial;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server = TestServers.start(initial.get());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        clients.clear();
        server.close();
    }

    public int port() {
        return server.port();
    }

    public Node node() {
        return server.node();
    }

    /** Stops the server and starts one with {@code config} (on another port). */
    public void restartWith(ServerConfig config) throws InterruptedException {
        server.close();
        server = TestServers.start(config);
    }

    /** Stops the server and starts one with {@code config} on an injected clock and timer. */
    public void restartWith(ServerConfig config, Clock clock, Scheduler scheduler) throws InterruptedException {
        server.close();
        server = TestServers.start(config, clock, scheduler);
    }

    /** Closes {@code client} after the test. */
    public <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    /** A switchboard.v1 client of {@code userId} ({@code null}: send-only), closed after the test. */
    public V1Client v1(String userId) {
        return track(V1Client.connect(port(), userId));
    }

    /** A plain-mode client of {@code userId}, closed after the test. */
    public JdkWebSocketClient plain(String userId) {
        return track(JdkWebSocketClient.connect(port(), userId));
    }
}
