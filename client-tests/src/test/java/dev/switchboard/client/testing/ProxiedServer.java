package dev.switchboard.client.testing;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.ChaosProxy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real server with a {@link ChaosProxy} in front of it, and the clients a test connects (through
 * the proxy or straight to the server); {@link #close()} closes them all. For tests that break
 * connections on purpose.
 */
public final class ProxiedServer implements AutoCloseable {
    private final SwitchboardServer server;
    private final ChaosProxy proxy;
    private final List<SwitchboardClient> clients = new ArrayList<>();

    private ProxiedServer(SwitchboardServer server, ChaosProxy proxy) {
        this.server = server;
        this.proxy = proxy;
    }

    public static ProxiedServer start(UnaryOperator<ServerConfig.Builder> change) throws Exception {
        SwitchboardServer server = Servers.start(change);
        return new ProxiedServer(server, ChaosProxy.start(server.port()));
    }

    public ChaosProxy proxy() {
        return proxy;
    }

    /** The server itself, not through the proxy. */
    public URI direct() {
        return Servers.uri(server);
    }

    /** A client of {@code userId} at {@code uri} with {@link Servers#fastOptions()}, connected. */
    public SwitchboardClient connect(URI uri, String userId, Recorder recorder) throws Exception {
        return connect(uri, userId, recorder, Servers.fastOptions());
    }

    public SwitchboardClient connect(URI uri, String userId, Recorder recorder, ClientOptions options)
            throws Exception {
        SwitchboardClient client = recorder.attach(SwitchboardClient.builder(uri).userId(userId).options(options))
                .build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public void close() throws Exception {
        clients.forEach(SwitchboardClient::close);
        proxy.close();
        server.close();
    }
}
