package dev.switchboard.server;

import dev.switchboard.auth.SecurityOptions;
import dev.switchboard.auth.SendPolicy;
import dev.switchboard.broker.redis.ClusterOptions;
import dev.switchboard.core.Durations;
import dev.switchboard.core.Require;
import dev.switchboard.history.HistoryOptions;
import dev.switchboard.hub.HeartbeatOptions;
import dev.switchboard.transport.TransportOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Everything a Switchboard server can be told, as one immutable value made of each part's own
 * options, which hold their defaults; the command line and the environment only override them.
 * Each part goes as it is to the piece that uses it. Build one with {@link #builder()} or
 * {@link #toBuilder()}, whose setters are named after the flags. {@link #toString()} never shows a
 * secret.
 *
 * @param shutdownTimeout on SIGTERM/SIGINT, the longest to wait for connections to close
 * @param app whether the live-transcript app (its pages, the dashboard and pairing) is served
 */
public record ServerConfig(
        TransportOptions transport,
        SecurityOptions security,
        HistoryOptions history,
        ClusterOptions cluster,
        HeartbeatOptions heartbeat,
        Duration shutdownTimeout,
        boolean app) {

    public static final String DEFAULT_SHUTDOWN_TIMEOUT = "10s";

    public ServerConfig {
        Require.positive("shutdown-timeout", shutdownTimeout);
    }

    /** The defaults: all interfaces, port 5201, one event loop per core, dev mode, the app on. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
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
        return "ServerConfig[" + transport.host() + ":" + transport.port() + ", " + security + ", " + cluster
                + ", app=" + app + "]";
    }

    /**
     * Builds a {@link ServerConfig} one flag at a time; starts from the defaults. The parts are
     * validated when built.
     */
    public static final class Builder {
        // The transport's.
        private String host;
        private int port;
        private int ioThreads;
        private boolean nativeTransport;
        private int maxMessageBytes;
        private int maxOutboundBytes;
        private int maxHttpBodyBytes;
        private int maxHeaderBytes;
        private Duration closeTimeout;
        private Duration handshakeTimeout;
        private boolean permessageDeflate;
        private double maxMessagesPerSecond;
        private int messageBurst;
        private int maxConnections;
        private int maxConnectionsPerUser;
        // Security's: checked together when built (claim needs token mode, and so on).
        private String jwtSecret;
        private Path jwtPublicKey;
        private String jwtIssuer;
        private String jwtAudience;
        private SendPolicy sendPolicy;
        private Set<String> allowedOrigins;
        private String apiKey;
        private Path tlsCert;
        private Path tlsKey;
        // The others' parts, replaced whole.
        private HistoryOptions history;
        private ClusterOptions cluster;
        private HeartbeatOptions heartbeat;
        private Duration shutdownTimeout = Durations.parse(DEFAULT_SHUTDOWN_TIMEOUT);
        private boolean app = true;

        private Builder() {
            this(TransportOptions.defaults(), SecurityOptions.defaults(), HistoryOptions.defaults(),
                    ClusterOptions.defaults(), HeartbeatOptions.defaults());
        }

        private Builder(ServerConfig c) {
            this(c.transport, c.security, c.history, c.cluster, c.heartbeat);
            shutdownTimeout = c.shutdownTimeout;
            app = c.app;
        }

        private Builder(TransportOptions t, SecurityOptions security, HistoryOptions history, ClusterOptions cluster,
                        HeartbeatOptions heartbeat) {
            transport(t);
            security(security);
            this.history = history;
            this.cluster = cluster;
            this.heartbeat = heartbeat;
        }

        /** Takes every transport setting from {@code t}. */
        public Builder transport(TransportOptions t) {
            host = t.host();
            port = t.port();
            ioThreads = t.ioThreads();
            nativeTransport = t.nativeTransport();
            maxMessageBytes = t.maxMessageBytes();
            maxOutboundBytes = t.maxOutboundBytes();
            maxHttpBodyBytes = t.maxHttpBodyBytes();
            maxHeaderBytes = t.maxHeaderBytes();
            closeTimeout = t.closeTimeout();
            handshakeTimeout = t.handshakeTimeout();
            permessageDeflate = t.permessageDeflate();
            maxMessagesPerSecond = t.maxMessagesPerSecond();
            messageBurst = t.messageBurst();
            maxConnections = t.maxConnections();
            maxConnectionsPerUser = t.maxConnectionsPerUser();
            return this;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder nativeTransport(boolean v) { nativeTransport = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder maxOutboundBytes(int v) { maxOutboundBytes = v; return this; }
        public Builder maxHttpBodyBytes(int v) { maxHttpBodyBytes = v; return this; }
        public Builder maxHeaderBytes(int v) { maxHeaderBytes = v; return this; }
        public Builder closeTimeout(Duration v) { closeTimeout = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder permessageDeflate(boolean v) { permessageDeflate = v; return this; }
        public Builder maxMessagesPerSecond(double v) { maxMessagesPerSecond = v; return this; }
        public Builder messageBurst(int v) { messageBurst = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxConnectionsPerUser(int v) { maxConnectionsPerUser = v; return this; }

        /** Takes every security setting from {@code v}. */
        public Builder security(SecurityOptions v) {
            jwtSecret = v.jwtSecret();
            jwtPublicKey = v.jwtPublicKey();
            jwtIssuer = v.jwtIssuer();
            jwtAudience = v.jwtAudience();
            sendPolicy = v.sendPolicy();
            allowedOrigins = v.allowedOrigins();
            apiKey = v.apiKey();
            tlsCert = v.tlsCert();
            tlsKey = v.tlsKey();
            return this;
        }

        public Builder jwtSecret(String v) { jwtSecret = v; return this; }
        public Builder jwtPublicKey(Path v) { jwtPublicKey = v; return this; }
        public Builder jwtIssuer(String v) { jwtIssuer = v; return this; }
        public Builder jwtAudience(String v) { jwtAudience = v; return this; }
        public Builder sendPolicy(SendPolicy v) { sendPolicy = v; return this; }
        public Builder allowedOrigins(Set<String> v) { allowedOrigins = v; return this; }
        public Builder apiKey(String v) { apiKey = v; return this; }
        public Builder tls(Path cert, Path key) { tlsCert = cert; tlsKey = key; return this; }

        public Builder history(HistoryOptions v) { history = v; return this; }
        public Builder historySize(int v) {
            return history(new HistoryOptions(v, history.ttl(), history.maxBytes(), history.maxBytesPerUser()));
        }
        public Builder historyTtl(Duration v) {
            return history(new HistoryOptions(history.size(), v, history.maxBytes(), history.maxBytesPerUser()));
        }
        public Builder historyMaxBytes(long v) {
            return history(new HistoryOptions(history.size(), history.ttl(), v, history.maxBytesPerUser()));
        }
        public Builder historyMaxBytesPerUser(long v) {
            return history(new HistoryOptions(history.size(), history.ttl(), history.maxBytes(), v));
        }

        public Builder cluster(ClusterOptions v) { cluster = v; return this; }
        public Builder redis(String v) { return cluster(new ClusterOptions(v, cluster.ackTimeout())); }
        public Builder clusterAckTimeout(Duration v) { return cluster(new ClusterOptions(cluster.redis(), v)); }

        public Builder heartbeat(HeartbeatOptions v) { heartbeat = v; return this; }
        public Builder pingInterval(Duration v) {
            return heartbeat(new HeartbeatOptions(v, heartbeat.idleTimeout(), heartbeat.maxConnectionAge()));
        }
        public Builder idleTimeout(Duration v) {
            return heartbeat(new HeartbeatOptions(heartbeat.pingInterval(), v, heartbeat.maxConnectionAge()));
        }
        public Builder maxConnectionAge(Duration v) {
            return heartbeat(new HeartbeatOptions(heartbeat.pingInterval(), heartbeat.idleTimeout(), v));
        }

        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder app(boolean v) { app = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(new TransportOptions(host, port, ioThreads, nativeTransport, maxMessageBytes,
                    maxOutboundBytes, maxHttpBodyBytes, maxHeaderBytes, closeTimeout, handshakeTimeout,
                    permessageDeflate, maxMessagesPerSecond, messageBurst, maxConnections, maxConnectionsPerUser),
                    new SecurityOptions(jwtSecret, jwtPublicKey, jwtIssuer, jwtAudience, sendPolicy, allowedOrigins,
                            apiKey, tlsCert, tlsKey),
                    history, cluster, heartbeat, shutdownTimeout, app);
        }
    }
}
