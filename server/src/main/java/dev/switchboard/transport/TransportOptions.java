package dev.switchboard.transport;

import dev.switchboard.core.Durations;
import dev.switchboard.core.Require;

import java.time.Duration;

/**
 * The network side's settings, an immutable value; its defaults are here.
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
 * @param maxConnections total connections (503 above); 0 for the open-file limit less a reserve
 *     ({@link #maxConnectionsOrAuto()})
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

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 5201;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_OUTBOUND_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_HTTP_BODY_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(2);
    public static final String DEFAULT_HANDSHAKE_TIMEOUT = "10s";
    public static final double DEFAULT_MAX_MESSAGES_PER_SECOND = 100;
    public static final int DEFAULT_MESSAGE_BURST = 200;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 64;
    /** Open files kept free for everything that is not a client connection (logs, jars, Redis...). */
    public static final int FILE_RESERVE = 256;

    public TransportOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        Require.positive("io-threads", ioThreads);
        Require.positive("max-message-bytes", maxMessageBytes);
        Require.positive("max-outbound-bytes", maxOutboundBytes);
        Require.positive("max-http-body-bytes", maxHttpBodyBytes);
        Require.positive("max-header-bytes", maxHeaderBytes);
        Require.positive("close-timeout", closeTimeout);
        Require.positive("handshake-timeout", handshakeTimeout);
        if (maxMessagesPerSecond < 0 || Double.isNaN(maxMessagesPerSecond)) {
            throw new IllegalArgumentException("max-messages-per-second must be 0 (off) or positive");
        }
        Require.positive("message-burst", messageBurst);
        if (maxConnections < 0) {
            throw new IllegalArgumentException("max-connections must be 0 (auto) or positive");
        }
        Require.positive("max-connections-per-user", maxConnectionsPerUser);
    }

    /** The defaults: all interfaces, port 5201, one event loop per core. */
    public static TransportOptions defaults() {
        return new TransportOptions(DEFAULT_HOST, DEFAULT_PORT, Runtime.getRuntime().availableProcessors(), true,
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_OUTBOUND_BYTES, DEFAULT_MAX_HTTP_BODY_BYTES,
                DEFAULT_MAX_HEADER_BYTES, DEFAULT_CLOSE_TIMEOUT, Durations.parse(DEFAULT_HANDSHAKE_TIMEOUT), false,
                DEFAULT_MAX_MESSAGES_PER_SECOND, DEFAULT_MESSAGE_BURST, 0, DEFAULT_MAX_CONNECTIONS_PER_USER);
    }

    /** The connection limit in force, resolving {@code 0} against the open-file limit. */
    public int maxConnectionsOrAuto() {
        if (maxConnections > 0) {
            return maxConnections;
        }
        long files = openFilesLimit();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, files - FILE_RESERVE));
    }

    /** The process's open-file limit, which caps how many connections it can hold (65,536 if unknown). */
    static long openFilesLimit() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            if (max > 0) {
                return max;
            }
        }
        return 65_536;
    }
}
