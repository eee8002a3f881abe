package dev.switchboard.hub;

import dev.switchboard.core.Durations;
import dev.switchboard.core.Require;

import java.time.Duration;

/**
 * When the server pings a silent connection and when it gives up on it ({@link Heartbeat}).
 *
 * @param pingInterval ping a connection after this long without a frame from it
 * @param idleTimeout close (4000) a connection silent for this long
 * @param maxConnectionAge close (1012) a connection this old — each at its own point between 90% and
 *     100% of it, so connections opened together do not come back together — so that clients move
 *     to other nodes (rebalancing after a scale-out); {@link Duration#ZERO} (the default) for never
 */
public record HeartbeatOptions(Duration pingInterval, Duration idleTimeout, Duration maxConnectionAge) {
    public static final String DEFAULT_PING_INTERVAL = "25s";
    public static final String DEFAULT_IDLE_TIMEOUT = "60s";
    public static final String DEFAULT_MAX_CONNECTION_AGE = "0s";

    public HeartbeatOptions {
        Require.positive("ping-interval", pingInterval);
        Require.positive("idle-timeout", idleTimeout);
        if (maxConnectionAge == null || maxConnectionAge.isNegative()) {
            throw new IllegalArgumentException("max-connection-age must be zero (never) or positive");
        }
    }

    public HeartbeatOptions(Duration pingInterval, Duration idleTimeout) {
        this(pingInterval, idleTimeout, Duration.ZERO);
    }

    public static HeartbeatOptions defaults() {
        return new HeartbeatOptions(Durations.parse(DEFAULT_PING_INTERVAL), Durations.parse(DEFAULT_IDLE_TIMEOUT));
    }
}
