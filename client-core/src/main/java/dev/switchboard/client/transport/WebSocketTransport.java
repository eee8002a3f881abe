package dev.switchboard.client.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Opens WebSockets for a {@link dev.switchboard.client.SwitchboardClient}: all the client needs from
 * an HTTP library. Two come with Switchboard: the JDK's {@code java.net.http} (artifact
 * {@code switchboard-client}, for desktops and servers) and OkHttp ({@code switchboard-client-okhttp},
 * for Android). A client built without one ({@code builder.transport(...)}) finds the one on its
 * class path with {@link java.util.ServiceLoader}: an implementation that wants to be found has a
 * public no-argument constructor and is listed in
 * {@code META-INF/services/dev.switchboard.client.transport.WebSocketTransport}.
 *
 * <p>Threading: thread-safe; one transport serves any number of clients and connections at once.
 * {@link #open} returns at once and never blocks; the handshake runs on the transport's threads.
 *
 * <p>Failures: {@link #open} reports every failure through the future it returns, never by
 * throwing, except for a programming error in its arguments.
 */
public interface WebSocketTransport {
    /**
     * A short lowercase name ({@code jdk}, {@code okhttp}): the value the system property
     * {@code dev.switchboard.client.transport} selects this transport by when several are found.
     */
    String name();

    /**
     * Starts the opening handshake of one WebSocket and returns at once.
     *
     * @param uri {@code ws://…} or {@code wss://…}, with its query
     * @param subprotocol the one subprotocol to ask for ({@code Sec-WebSocket-Protocol})
     * @param headers more request headers (e.g. {@code Authorization}); may be empty
     * @param connectTimeout how long opening the TCP (and TLS) connection may take
     * @param listener receives what arrives on the socket once it is open, as
     *     {@link TransportListener} describes; never called when the handshake fails
     * @return completes with the open socket when the server accepted the upgrade (frames may reach
     *     the listener, after {@link TransportListener#onOpen}, before it completes); fails with
     *     {@link dev.switchboard.client.HandshakeRejectedException} when the server answered with
     *     an HTTP status instead of upgrading (its status and body), or with the I/O error or
     *     timeout that stopped the handshake
     */
    CompletableFuture<TransportSocket> open(URI uri, String subprotocol, Map<String, String> headers,
                                            Duration connectTimeout, TransportListener listener);
}
