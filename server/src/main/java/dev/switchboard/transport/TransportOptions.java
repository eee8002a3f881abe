package dev.switchboard.transport;

import java.time.Duration;

/**
 * The transport's settings, an immutable value. Defaults live with the server's configuration.
 *
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param ioThreads event-loop threads serving connections
 * @param nativeTransport use epoll when the platform has it
 * @param maxMessageBytes the largest frame or reassembled message accepted (close 1009 above); also
 *     the largest inflated frame when compression is on
 * @param maxOutboundBytes the most a connection may have waiting to be written (close 4008 above)
 * @param maxHttpBodyBytes the largest HTTP request body accepted (413 above)
 * @param maxHeaderBytes the largest HTTP header block accepted (431 above)
 * @param closeTimeout how long a closing connection may take to flush its close frame
 * @param handshakeTimeout how long a connection may take to deliver a complete HTTP request
 * @param permessageDeflate whether to offer WebSocket compression
 * @param maxMessagesPerSecond per-connection inbound rate; 0 for no limit
 * @param messageBurst the rate limit's bucket size, and the refusals in a row that close with 1008
 * @param maxConnections total connections (503 above)
 * @param maxConnectionsPerUser connections per user (429 above)
 */
public record TransportOptions(
        String host,
        int port,
        int ioThreads,
        boolean nativeTransport,
        int maxMessageBytes,
        int maxOutboundBytes,
        int maxHttpBodyBytes,
        int maxHeaderBytes,
        Duration closeTimeout,
        Duration handshakeTimeout,
        boolean permessageDeflate,
        double maxMessagesPerSecond,
        int messageBurst,
        int maxConnections,
        int maxConnectionsPerUser) {
}
