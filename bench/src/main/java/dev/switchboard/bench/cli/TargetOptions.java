package dev.switchboard.bench.cli;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.client.SourceAddresses;
import dev.switchboard.bench.client.WireProtocol;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.HostPort;
import dev.switchboard.bench.load.WatchSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every load scenario shares: the server to hit and how the load generator runs. */
public final class TargetOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "5201", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--send-host",
            description = "Host the senders connect to, when it is not --host (two nodes of a cluster).")
    String sendHost;

    @Option(names = "--send-port",
            description = "Port the senders connect to, when it is not --port (two nodes of a cluster).")
    int sendPort;

    @Option(names = "--protocol", defaultValue = "plain",
            description = "plain (seed contract: Switchboard, relay, seed) or socketio (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--path", description = "Request path (default: / for plain, /socket.io/ for socketio).")
    String path;

    @Option(names = "--source-ips", defaultValue = "16",
            description = "Spread connections over 127.0.0.1..127.0.0.N as source addresses; 0: no bind (default: ${DEFAULT-VALUE}).")
    int sourceIps;

    @Option(names = "--threads", description = "Load generator event-loop threads (default: half the cores, at least 1).")
    Integer threads;

    @Option(names = "--connect-concurrency", defaultValue = "200",
            description = "Handshakes in flight while connecting (default: ${DEFAULT-VALUE}).")
    int connectConcurrency;

    @Option(names = "--connect-deadline", defaultValue = "120",
            description = "Seconds the connecting phase may take at most (default: ${DEFAULT-VALUE}).")
    int connectDeadlineSeconds;

    @Option(names = "--handshake-timeout", defaultValue = "15",
            description = "Seconds one connection may take to become ready (default: ${DEFAULT-VALUE}).")
    int handshakeTimeoutSeconds;

    @Option(names = "--server-pid",
            description = "Server process id for CPU/memory figures (default: found by the listening port).")
    long serverPid;

    @Option(names = "--watch-pid", paramLabel = "NAME=PID",
            description = "Also report the CPU of this process over the measured window, as cpu_pct_NAME (repeatable).")
    Map<String, Long> watchedPids = new LinkedHashMap<>();

    @Option(names = "--redis-stats", paramLabel = "HOST:PORT", split = ",",
            description = "Read this Redis's INFO before and after the measured window: commands and CPU per"
                    + " message (repeatable or comma-separated: several servers' figures are summed).")
    List<String> redisStats = new ArrayList<>();

    public ServerTarget target() {
        return new ServerTarget(host, port, WireProtocol.named(protocol), path, SourceAddresses.loopback(sourceIps),
                Duration.ofSeconds(handshakeTimeoutSeconds), sendHost, sendPort);
    }

    public ClientSettings settings() {
        return new ClientSettings(threads == null ? ClientSettings.DEFAULT_THREADS : threads, connectConcurrency,
                Duration.ofSeconds(connectDeadlineSeconds), serverPid,
                new WatchSpec(watchedPids, redisStats.stream().map(HostPort::parse).toList()));
    }
}
