package dev.switchboard.bench.load;

import java.time.Duration;

/**
 * How the load generator itself runs, whatever the scenario.
 *
 * @param threads event-loop threads of the load generator
 * @param connectConcurrency handshakes in flight while opening connections
 * @param connectDeadline the longest the connecting phase may take
 * @param serverPid the server's process id for CPU and memory figures; 0 finds it by port, -1 skips
 * @param watch other processes, and a Redis, to measure over the measured window
 */
public record ClientSettings(int threads, int connectConcurrency, Duration connectDeadline, long serverPid,
                             WatchSpec watch) {

    /** Two cores run both server and load generator here; one loop each leaves the server a core. */
    public static final int DEFAULT_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    public static final int DEFAULT_CONNECT_CONCURRENCY = 200;
    public static final Duration DEFAULT_CONNECT_DEADLINE = Duration.ofSeconds(120);

    public ClientSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        watch = watch == null ? WatchSpec.NONE : watch;
    }

    public ClientSettings(int threads, int connectConcurrency, Duration connectDeadline, long serverPid) {
        this(threads, connectConcurrency, connectDeadline, serverPid, WatchSpec.NONE);
    }

    public static ClientSettings defaults() {
        return new ClientSettings(DEFAULT_THREADS, DEFAULT_CONNECT_CONCURRENCY, DEFAULT_CONNECT_DEADLINE, 0);
    }

    public ClientSettings withServerPid(long pid) {
        return new ClientSettings(threads, connectConcurrency, connectDeadline, pid, watch);
    }
}
