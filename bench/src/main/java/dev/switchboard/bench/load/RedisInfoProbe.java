package dev.switchboard.bench.load;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The work of a run's Redis servers over the measured window, per message sent: commands processed
 * (those inside Lua scripts included), calls of each command, and the CPU they used — summed over
 * every server given (the shards, or a Redis Cluster's masters and replicas). Each figure is a
 * difference of two INFO readings, so other clients of those servers count too; give each run its own.
 */
final class RedisInfoProbe implements RunProbe {

    private final java.util.List<HostPort> addresses;
    private RedisInfo start;
    private RedisInfo end;
    private long wallStart;
    private long wallNanos;
    private String failure;

    RedisInfoProbe(java.util.List<HostPort> addresses) {
        this.addresses = java.util.List.copyOf(addresses);
    }

    @Override
    public void measureStarted() {
        start = readOrNull();
        wallStart = System.nanoTime();
    }

    @Override
    public void measureEnded() {
        wallNanos = System.nanoTime() - wallStart;
        end = readOrNull();
    }

    private RedisInfo readOrNull() {
        try {
            java.util.List<RedisInfo> readings = new java.util.ArrayList<>();
            for (HostPort address : addresses) {
                readings.add(RedisInfo.read(address));
            }
            return RedisInfo.sum(readings);
        } catch (IOException | RuntimeException e) {
            failure = e.toString();
            return null;
        }
    }

    @Override
    public void addMetrics(ScenarioResult.Builder result, MeasuredRun.Window window) {
        if (start == null || end == null) {
            return;
        }
        long sent = window.counts().sent();
        result.metric("redis_commands_per_msg", perMessage(end.totalCommands() - start.totalCommands(), sent))
                .metric("redis_commands_per_s", window.perSecond(end.totalCommands() - start.totalCommands()))
                .metric("redis_cpu_pct", wallNanos <= 0 ? Double.NaN
                        : 100.0 * (end.cpuSeconds() - start.cpuSeconds()) * 1e9 / wallNanos);
        Map<String, Long> usecBefore = start.usec();
        Map<String, Long> usecAfter = end.usec();
        callDeltas().forEach((command, calls) -> {
            String name = command.replaceAll("[^A-Za-z0-9]", "_");
            result.metric("redis_" + name + "_per_msg", perMessage(calls, sent));
            long usec = usecAfter.getOrDefault(command, 0L) - usecBefore.getOrDefault(command, 0L);
            result.metric("redis_" + name + "_usec_per_call", (double) usec / calls);
        });
    }

    /** Calls per command within the window, for commands called at all (INFO itself left out). */
    private Map<String, Long> callDeltas() {
        Map<String, Long> before = start.calls();
        Map<String, Long> deltas = new TreeMap<>();
        end.calls().forEach((command, calls) -> {
            long delta = calls - before.getOrDefault(command, 0L);
            if (delta > 0 && !command.equals("info")) {
                deltas.put(command, delta);
            }
        });
        return deltas;
    }

    private static double perMessage(long count, long sent) {
        return sent <= 0 ? Double.NaN : (double) count / sent;
    }

    @Override
    public String summary() {
        if (start == null || end == null) {
            return "redis " + addresses + ": no INFO (" + failure + ")";
        }
        return String.format("redis %s: %,d commands in the window (scripts' inner commands included), calls %s, cpu %.0f%%",
                addresses, end.totalCommands() - start.totalCommands(), callDeltas(),
                100.0 * (end.cpuSeconds() - start.cpuSeconds()) * 1e9 / wallNanos);
    }
}
