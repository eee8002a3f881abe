package dev.switchboard.server;

import java.time.Duration;

/**
 * Everything a Switchboard server can be told, as one immutable value. The defaults live here and
 * nowhere else; the command line and the environment only override them.
 */
public record ServerConfig(
        String host,
        int port,
        int ioThreads,
        int maxMessageBytes,
        int maxOutboundBytes,
        int maxHttpBodyBytes,
        Duration pingInterval,
        Duration idleTimeout,
        Duration shutdownTimeout,
        Duration closeTimeout,
        boolean nativeTransport) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 5201;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_OUTBOUND_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_HTTP_BODY_BYTES = 64 * 1024;
    public static final String DEFAULT_PING_INTERVAL = "25s";
    public static final String DEFAULT_IDLE_TIMEOUT = "60s";
    public static final String DEFAULT_SHUTDOWN_TIMEOUT = "10s";
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(2);

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        requirePositive("io-threads", ioThreads);
        requirePositive("max-message-bytes", maxMessageBytes);
        requirePositive("max-outbound-bytes", maxOutboundBytes);
        requirePositive("max-http-body-bytes", maxHttpBodyBytes);
        requirePositive("ping-interval", pingInterval);
        requirePositive("idle-timeout", idleTimeout);
        requirePositive("shutdown-timeout", shutdownTimeout);
        requirePositive("close-timeout", closeTimeout);
    }

    /** The defaults: all interfaces, port 5201, one event loop per core. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, Runtime.getRuntime().availableProcessors(),
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_OUTBOUND_BYTES, DEFAULT_MAX_HTTP_BODY_BYTES,
                Durations.parse(DEFAULT_PING_INTERVAL), Durations.parse(DEFAULT_IDLE_TIMEOUT),
                Durations.parse(DEFAULT_SHUTDOWN_TIMEOUT), DEFAULT_CLOSE_TIMEOUT, true);
    }

    public ServerConfig withHost(String value) {
        return new ServerConfig(value, port, ioThreads, maxMessageBytes, maxOutboundBytes, maxHttpBodyBytes,
                pingInterval, idleTimeout, shutdownTimeout, closeTimeout, nativeTransport);
    }

    public ServerConfig withPort(int value) {
        return new ServerConfig(host, value, ioThreads, maxMessageBytes, maxOutboundBytes, maxHttpBodyBytes,
                pingInterval, idleTimeout, shutdownTimeout, closeTimeout, nativeTransport);
    }

    public ServerConfig withIoThreads(int value) {
        return new ServerConfig(host, port, value, maxMessageBytes, maxOutboundBytes, maxHttpBodyBytes,
                pingInterval, idleTimeout, shutdownTimeout, closeTimeout, nativeTransport);
    }

    public ServerConfig withMaxMessageBytes(int value) {
        return new ServerConfig(host, port, ioThreads, value, maxOutboundBytes, maxHttpBodyBytes,
                pingInterval, idleTimeout, shutdownTimeout, closeTimeout, nativeTransport);
    }

    public ServerConfig withMaxOutboundBytes(int value) {
        return new ServerConfig(host, port, ioThreads, maxMessageBytes, value, maxHttpBodyBytes,
                pingInterval, idleTimeout, shutdownTimeout, closeTimeout, nativeTransport);
    }

    public ServerConfig withHeartbeat(Duration ping, Duration idle) {
        return new ServerConfig(host, port, ioThreads, maxMessageBytes, maxOutboundBytes, maxHttpBodyBytes,
                ping, idle, shutdownTimeout, closeTimeout, nativeTransport);
    }

    public ServerConfig withShutdownTimeout(Duration value) {
        return new ServerConfig(host, port, ioThreads, maxMessageBytes, maxOutboundBytes, maxHttpBodyBytes,
                pingInterval, idleTimeout, value, closeTimeout, nativeTransport);
    }

    public ServerConfig withNativeTransport(boolean value) {
        return new ServerConfig(host, port, ioThreads, maxMessageBytes, maxOutboundBytes, maxHttpBodyBytes,
                pingInterval, idleTimeout, shutdownTimeout, closeTimeout, value);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
