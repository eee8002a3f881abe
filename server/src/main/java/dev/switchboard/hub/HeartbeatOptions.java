package dev.switchboard.hub;

import dev.switchboard.core.Durations;
import dev.switchboard.core.Require;

import java.time.Duration;

/**
 * When the server pings a silent connection and when it gives up on it ({@link Heartbeat}).
 *
 * @param pingInterval ping a connection after this long without a frame from it
 * @param idleTimeout close (4000) a connection silent for this long
 */
public record HeartbeatOptions(Duration pingInterval, Duration idleTimeout) {
    public static final String DEFAULT_PING_INTERVAL = "25s";
    public static final String DEFAULT_IDLE_TIMEOUT = "60s";

    public HeartbeatOptions {
        Require.positive("ping-interval", pingInterval);
        Require.positive("idle-timeout", idleTimeout);
    }

    public static HeartbeatOptions defaults() {
        return new HeartbeatOptions(Durations.parse(DEFAULT_PING_INTERVAL), Durations.parse(DEFAULT_IDLE_TIMEOUT));
    }
}
