package dev.switchboard.transport;

import java.time.Duration;

/**
 * The transport's settings, an immutable value. Defaults live with the server's configuration.
 *
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param ioThreads event-loop threads serving connections
 * @param maxMessageBytes the largest frame or reassembled message accepted (close 1009 above)
 * @param maxOutboundBytes the most a connection may have waiting to be written (close 4008 above)
 * @param maxHttpBodyBytes the largest HTTP request body accepted
 * @param closeTimeout how long a closing connection may take to flush its close frame
 * @param nativeTransport use epoll when the platform has it
 */
public record TransportOptions(
        String host,
        int port,
        int ioThreads,
        int maxMessageBytes,
        int maxOutboundBytes,
        int maxHttpBodyBytes,
        Duration closeTimeout,
        boolean nativeTransport) {
}
