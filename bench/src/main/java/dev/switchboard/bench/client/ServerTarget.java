package dev.switchboard.bench.client;

import java.time.Duration;

/**
 * Where and how the load generator connects.
 *
 * @param path base request path; null means the protocol's default ({@code /} or {@code /socket.io/})
 * @param sources local addresses spread over the connections
 * @param handshakeTimeout how long one connection may take to become ready
 */
public record ServerTarget(String host, int port, WireProtocol wire, String path, SourceAddresses sources,
                           Duration handshakeTimeout) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);

    public ServerTarget {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        path = path == null || path.isEmpty() ? wire.defaultPath() : path;
    }

    public static ServerTarget loopback(int port, WireProtocol wire) {
        return new ServerTarget("127.0.0.1", port, wire, null, SourceAddresses.loopback(8), DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public String describe() {
        return "ws://" + host + ":" + port + path + " (" + wire.name() + ")";
    }
}
