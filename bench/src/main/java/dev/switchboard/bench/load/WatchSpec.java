package dev.switchboard.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run measures besides the server it targets: more processes' CPU (the other node of a
 * cluster, its Redis), each reported as {@code cpu_pct_<name>}, and optionally a Redis's counters.
 *
 * @param processes name to process id
 * @param redis the Redis servers to read INFO from before and after the measured window (their
 *     figures are summed: shards, a Redis Cluster's nodes), or none
 */
public record WatchSpec(Map<String, Long> processes, List<HostPort> redis) {

    public static final WatchSpec NONE = new WatchSpec(Map.of(), List.of());

    public WatchSpec {
        processes = Collections.unmodifiableMap(new LinkedHashMap<>(processes));
        redis = List.copyOf(redis);
        for (String name : processes.keySet()) {
            if (!name.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("a watched process name is letters, digits and _: " + name);
            }
        }
    }

    /** Fresh probes for one run. */
    List<RunProbe> probes() {
        List<RunProbe> probes = new ArrayList<>();
        processes.forEach((name, pid) -> probes.add(new ProcessCpuProbe(name, pid)));
        if (!redis.isEmpty()) {
            probes.add(new RedisInfoProbe(redis));
        }
        return probes;
    }
}
