package dev.switchboard.app;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Scheduler;
import dev.switchboard.extension.ServerExtension;
import dev.switchboard.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The live-transcript app as a server extension ({@code --app}, on by default in
 * {@code bin/switchboard}): its pages and the dashboard ({@link AppHttp}), the dashboard's numbers
 * ({@link LiveStats}), and in token mode pairing by single-use codes ({@link Pairings}) with device
 * tokens the handshake accepts ({@link PairingAuthenticator}). Found by the server through
 * {@link java.util.ServiceLoader}.
 */
public final class TranscriptApp implements ServerExtension {
    /** How long a cluster node waits for the nodes' shared device key at start. */
    private static final Duration CLUSTER_START_WAIT = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(TranscriptApp.class);

    private LiveStats stats;

    @Override
    public String name() {
        return "app";
    }

    @Override
    public Metrics metrics(Clock clock, Scheduler timers) {
        stats = new LiveStats(clock, timers);
        return stats;
    }

    @Override
    public Parts start(Context context) throws InterruptedException {
        if (stats == null) {
            metrics(context.clock(), context.timers());
        }
        Pairings pairings = pairings(context);
        AppHttp http = new AppHttp(context.node(), context.api(), stats, pairings,
                pairings == null ? null : context.authenticator());
        LiveStats ownStats = stats;
        AutoCloseable resources = () -> {
            ownStats.close();
            if (pairings != null) {
                pairings.close();
            }
        };
        return new Parts(http, pairings == null ? context.authenticator()
                : new PairingAuthenticator(context.authenticator(), pairings), resources);
    }

    /**
     * Pairing in token mode, {@code null} in dev mode: in memory on a single node; in Redis, on a
     * connection of its own, in a cluster, where this waits at most {@link #CLUSTER_START_WAIT}
     * for the nodes' shared device key (without it pairing answers 503 until Redis answers).
     */
    private static Pairings pairings(Context context) throws InterruptedException {
        if (!context.tokenMode()) {
            return null;
        }
        if (context.redis() == null) {
            return Pairings.inMemory(context.clock(), context.timers());
        }
        Pairings pairings = new Pairings(context.clock(), context.timers(),
                new RedisPairingStore(context.redis(), context.clock()));
        try {
            pairings.ready().get(CLUSTER_START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("pairing: no device key from Redis yet; /app/pair answers 503 and device tokens are refused"
                    + " until Redis answers");
        }
        return pairings;
    }
}
