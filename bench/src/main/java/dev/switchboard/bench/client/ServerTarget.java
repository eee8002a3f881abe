package dev.switchboard.bench.client;

import java.time.Duration;

/**
 * Where and how the load generator connects. Receivers connect to {@code host:port}; senders to
 * {@code sendHost:sendPort}, which is the same server unless a run spreads its load over two nodes
 * of a cluster (senders on one, receivers on another).
 *
 * @param path base request path; null means the protocol's default ({@code /} or {@code /socket.io/})
 * @param sources local addresses spread over the connections
 * @param handshakeTimeout how long one connection may take to become ready
 * @param sendHost the senders' server host; null means {@code host}
 * @param sendPort the senders' server port; 0 means {@code port}
 */
public record ServerTarget(String host, int port, WireProtocol wire, String path, SourceAddresses sources,
                           Duration handshakeTimeout, String sendHost, int sendPort) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);

    public ServerTarget {
        checkPort(port);
        path = path == null || path.isEmpty() ? wire.defaultPath() : path;
        sendHost = sendHost == null || sendHost.isEmpty() ? host : sendHost;
        sendPort = sendPort == 0 ? port : sendPort;
        checkPort(sendPort);
    }

    /** Senders and receivers on the same server. */
    public ServerTarget(String host, int port, WireProtocol wire, String path, SourceAddresses sources,
                        Duration handshakeTimeout) {
        this(host, port, wire, path, sources, handshakeTimeout, null, 0);
    }

    public static ServerTarget loopback(int port, WireProtocol wire) {
        return new ServerTarget("127.0.0.1", port, wire, null, SourceAddresses.loopback(8), DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** Whether senders connect to another server than receivers. */
    public boolean splitsSenders() {
        return !sendHost.equals(host) || sendPort != port;
    }

    /** The target the senders connect to: this one with the senders' host and port. */
    public ServerTarget forSenders() {
        return splitsSenders()
                ? new ServerTarget(sendHost, sendPort, wire, path, sources, handshakeTimeout, sendHost, sendPort)
                : this;
    }

    public String describe() {
        String receivers = "ws://" + host + ":" + port + path + " (" + wire.name() + ")";
        return splitsSenders() ? receivers + ", senders to ws://" + sendHost + ":" + sendPort + path : receivers;
    }

    private static void checkPort(int port) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }
}
