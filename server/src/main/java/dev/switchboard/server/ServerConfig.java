package dev.switchboard.server;

import dev.switchboard.auth.SendPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Everything a Switchboard server can be told, as one immutable value. The defaults live here and
 * nowhere else; the command line and the environment only override them. Build one with
 * {@link #builder()} or {@link #toBuilder()}. {@link #toString()} never shows a secret.
 *
 * @param maxConnections total connections; {@code 0} means the process's open-file limit less a
 *     reserve ({@link #maxConnectionsOrAuto()})
 * @param maxMessagesPerSecond per-connection inbound rate; {@code 0} turns rate limiting off
 * @param sendPolicy {@code null} for the mode's default: {@code any} in dev mode, {@code self} in
 *     token mode ({@link #effectiveSendPolicy()})
 * @param allowedOrigins empty allows every origin
 * @param redis a Redis URI to join a cluster through, or {@code null} to run alone in memory
 * @param clusterAckTimeout how long a publish waits for the other nodes' delivery counts
 */
public record ServerConfig(
        String host,
        int port,
        int ioThreads,
        boolean nativeTransport,
        int maxMessageBytes,
        int maxOutboundBytes,
        int maxHttpBodyBytes,
        int maxHeaderBytes,
        Duration pingInterval,
        Duration idleTimeout,
        Duration shutdownTimeout,
        Duration closeTimeout,
        Duration handshakeTimeout,
        double maxMessagesPerSecond,
        int messageBurst,
        int maxConnections,
        int maxConnectionsPerUser,
        boolean permessageDeflate,
        String jwtSecret,
        Path jwtPublicKey,
        String jwtIssuer,
        String jwtAudience,
        SendPolicy sendPolicy,
        Set<String> allowedOrigins,
        String apiKey,
        Path tlsCert,
        Path tlsKey,
        int historySize,
        Duration historyTtl,
        String redis,
        Duration clusterAckTimeout) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 5201;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_OUTBOUND_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_HTTP_BODY_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final String DEFAULT_PING_INTERVAL = "25s";
    public static final String DEFAULT_IDLE_TIMEOUT = "60s";
    public static final String DEFAULT_SHUTDOWN_TIMEOUT = "10s";
    public static final String DEFAULT_CLUSTER_ACK_TIMEOUT = "500ms";
    public static final String DEFAULT_HANDSHAKE_TIMEOUT = "10s";
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(2);
    public static final double DEFAULT_MAX_MESSAGES_PER_SECOND = 100;
    public static final int DEFAULT_MESSAGE_BURST = 200;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 64;
    public static final int DEFAULT_HISTORY_SIZE = 1000;
    public static final String DEFAULT_HISTORY_TTL = "5m";
    /** Open files kept free for everything that is not a client connection (logs, jars, Redis...). */
    public static final int FILE_RESERVE = 256;

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        requirePositive("io-threads", ioThreads);
        requirePositive("max-message-bytes", maxMessageBytes);
        requirePositive("max-outbound-bytes", maxOutboundBytes);
        requirePositive("max-http-body-bytes", maxHttpBodyBytes);
        requirePositive("max-header-bytes", maxHeaderBytes);
        requirePositive("ping-interval", pingInterval);
        requirePositive("idle-timeout", idleTimeout);
        requirePositive("shutdown-timeout", shutdownTimeout);
        requirePositive("close-timeout", closeTimeout);
        requirePositive("handshake-timeout", handshakeTimeout);
        if (maxMessagesPerSecond < 0 || Double.isNaN(maxMessagesPerSecond)) {
            throw new IllegalArgumentException("max-messages-per-second must be 0 (off) or positive");
        }
        requirePositive("message-burst", messageBurst);
        if (maxConnections < 0) {
            throw new IllegalArgumentException("max-connections must be 0 (auto) or positive");
        }
        requirePositive("max-connections-per-user", maxConnectionsPerUser);
        if (historySize < 0) {
            throw new IllegalArgumentException("history-size must be 0 or positive: " + historySize);
        }
        requirePositive("history-ttl", historyTtl);
        requirePositive("cluster-ack-timeout", clusterAckTimeout);
        if (redis != null) {
            String scheme = redis.contains("://") ? redis.substring(0, redis.indexOf("://")) : "";
            if (!Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel", "redis-socket").contains(scheme)) {
                throw new IllegalArgumentException("--redis must be a redis://, rediss://, redis-sentinel:// or"
                        + " redis-socket:// URI");
            }
        }
        if (jwtSecret != null && jwtPublicKey != null) {
            throw new IllegalArgumentException("give either --jwt-secret or --jwt-public-key, not both");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (sendPolicy == SendPolicy.CLAIM && jwtSecret == null && jwtPublicKey == null) {
            throw new IllegalArgumentException("--send-policy claim needs token mode (--jwt-secret or --jwt-public-key)");
        }
        allowedOrigins = allowedOrigins == null ? Set.of() : Set.copyOf(allowedOrigins);
    }

    /** The defaults: all interfaces, port 5201, one event loop per core, dev mode. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether identities come from signed tokens. */
    public boolean tokenMode() {
        return jwtSecret != null || jwtPublicKey != null;
    }

    /** The send policy in force: the configured one, or the mode's default. */
    public SendPolicy effectiveSendPolicy() {
        if (sendPolicy != null) {
            return sendPolicy;
        }
        return tokenMode() ? SendPolicy.SELF : SendPolicy.ANY;
    }

    /** The connection limit in force, resolving {@code 0} against the open-file limit. */
    public int maxConnectionsOrAuto() {
        if (maxConnections > 0) {
            return maxConnections;
        }
        long files = OpenFiles.limit();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, files - FILE_RESERVE));
    }

    public boolean tls() {
        return tlsCert != null;
    }

    public ServerConfig withHost(String value) {
        return toBuilder().host(value).build();
    }

    public ServerConfig withPort(int value) {
        return toBuilder().port(value).build();
    }

    public ServerConfig withShutdownTimeout(Duration value) {
        return toBuilder().shutdownTimeout(value).build();
    }

    public ServerConfig withHeartbeat(Duration ping, Duration idle) {
        return toBuilder().pingInterval(ping).idleTimeout(idle).build();
    }

    @Override
    public String toString() {
        return "ServerConfig[" + host + ":" + port + ", " + (tokenMode() ? "token" : "dev") + " mode"
                + ", jwtSecret=" + (jwtSecret == null ? "none" : "***")
                + ", apiKey=" + (apiKey == null ? "none" : "***") + ", tls=" + tls()
                + ", redis=" + (redis == null ? "none" : "***") + "]";
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

    /** Builds a {@link ServerConfig}; starts from the defaults. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private boolean nativeTransport = true;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
        private int maxHttpBodyBytes = DEFAULT_MAX_HTTP_BODY_BYTES;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private Duration pingInterval = Durations.parse(DEFAULT_PING_INTERVAL);
        private Duration idleTimeout = Durations.parse(DEFAULT_IDLE_TIMEOUT);
        private Duration shutdownTimeout = Durations.parse(DEFAULT_SHUTDOWN_TIMEOUT);
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private Duration handshakeTimeout = Durations.parse(DEFAULT_HANDSHAKE_TIMEOUT);
        private double maxMessagesPerSecond = DEFAULT_MAX_MESSAGES_PER_SECOND;
        private int messageBurst = DEFAULT_MESSAGE_BURST;
        private int maxConnections;
        private int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;
        private boolean permessageDeflate;
        private String jwtSecret;
        private Path jwtPublicKey;
        private String jwtIssuer;
        private String jwtAudience;
        private SendPolicy sendPolicy;
        private Set<String> allowedOrigins = Set.of();
        private String apiKey;
        private Path tlsCert;
        private Path tlsKey;
        private int historySize = DEFAULT_HISTORY_SIZE;
        private Duration historyTtl = Durations.parse(DEFAULT_HISTORY_TTL);
        private String redis;
        private Duration clusterAckTimeout = Durations.parse(DEFAULT_CLUSTER_ACK_TIMEOUT);

        private Builder() {
        }

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            ioThreads = c.ioThreads;
            nativeTransport = c.nativeTransport;
            maxMessageBytes = c.maxMessageBytes;
            maxOutboundBytes = c.maxOutboundBytes;
            maxHttpBodyBytes = c.maxHttpBodyBytes;
            maxHeaderBytes = c.maxHeaderBytes;
            pingInterval = c.pingInterval;
            idleTimeout = c.idleTimeout;
            shutdownTimeout = c.shutdownTimeout;
            closeTimeout = c.closeTimeout;
            handshakeTimeout = c.handshakeTimeout;
            maxMessagesPerSecond = c.maxMessagesPerSecond;
            messageBurst = c.messageBurst;
            maxConnections = c.maxConnections;
            maxConnectionsPerUser = c.maxConnectionsPerUser;
            permessageDeflate = c.permessageDeflate;
            jwtSecret = c.jwtSecret;
            jwtPublicKey = c.jwtPublicKey;
            jwtIssuer = c.jwtIssuer;
            jwtAudience = c.jwtAudience;
            sendPolicy = c.sendPolicy;
            allowedOrigins = c.allowedOrigins;
            apiKey = c.apiKey;
            tlsCert = c.tlsCert;
            tlsKey = c.tlsKey;
            historySize = c.historySize;
            historyTtl = c.historyTtl;
            redis = c.redis;
            clusterAckTimeout = c.clusterAckTimeout;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder nativeTransport(boolean v) { nativeTransport = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder maxOutboundBytes(int v) { maxOutboundBytes = v; return this; }
        public Builder maxHttpBodyBytes(int v) { maxHttpBodyBytes = v; return this; }
        public Builder maxHeaderBytes(int v) { maxHeaderBytes = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder closeTimeout(Duration v) { closeTimeout = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder maxMessagesPerSecond(double v) { maxMessagesPerSecond = v; return this; }
        public Builder messageBurst(int v) { messageBurst = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxConnectionsPerUser(int v) { maxConnectionsPerUser = v; return this; }
        public Builder permessageDeflate(boolean v) { permessageDeflate = v; return this; }
        public Builder jwtSecret(String v) { jwtSecret = v; return this; }
        public Builder jwtPublicKey(Path v) { jwtPublicKey = v; return this; }
        public Builder jwtIssuer(String v) { jwtIssuer = v; return this; }
        public Builder jwtAudience(String v) { jwtAudience = v; return this; }
        public Builder sendPolicy(SendPolicy v) { sendPolicy = v; return this; }
        public Builder allowedOrigins(Set<String> v) { allowedOrigins = v; return this; }
        public Builder apiKey(String v) { apiKey = v; return this; }
        public Builder tls(Path cert, Path key) { tlsCert = cert; tlsKey = key; return this; }
        public Builder historySize(int v) { historySize = v; return this; }
        public Builder historyTtl(Duration v) { historyTtl = v; return this; }
        public Builder redis(String v) { redis = v; return this; }
        public Builder clusterAckTimeout(Duration v) { clusterAckTimeout = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(host, port, ioThreads, nativeTransport, maxMessageBytes, maxOutboundBytes,
                    maxHttpBodyBytes, maxHeaderBytes, pingInterval, idleTimeout, shutdownTimeout, closeTimeout,
                    handshakeTimeout, maxMessagesPerSecond, messageBurst, maxConnections, maxConnectionsPerUser,
                    permessageDeflate, jwtSecret, jwtPublicKey, jwtIssuer, jwtAudience, sendPolicy, allowedOrigins,
                    apiKey, tlsCert, tlsKey, historySize, historyTtl, redis, clusterAckTimeout);
        }
    }
}
