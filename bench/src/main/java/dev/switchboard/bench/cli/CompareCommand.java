package dev.switchboard.bench.cli;

import dev.switchboard.bench.compare.ComparePlan;
import dev.switchboard.bench.compare.Comparison;
import dev.switchboard.bench.compare.KnownServers;
import dev.switchboard.bench.load.ClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Start each server in turn on this machine, run the same scenarios against each, "
                + "save one JSON summary per run and write REPORT.md with charts.",
                "Usually run through bench/compare, which builds everything first."})
final class CompareCommand implements Callable<Integer> {

    @Option(names = "--servers", split = ",", defaultValue = "${env:BENCH_SERVERS:-switchboard,relay,seed,socketio}",
            description = "Servers, comma-separated: switchboard, relay, seed, socketio (env BENCH_SERVERS; default: ${DEFAULT-VALUE}).")
    List<String> servers;

    @Option(names = "--scenarios", split = ",",
            defaultValue = "${env:BENCH_SCENARIOS:-targeted-1dev,targeted-4dev,latency,idle,connect}",
            description = "Scenarios, comma-separated (env BENCH_SCENARIOS; default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--quick", defaultValue = "${env:BENCH_QUICK:-false}",
            description = "Short runs: 3 s warmup, 5 s measured (env BENCH_QUICK=true).")
    boolean quick;

    @Option(names = "--warmup", description = "Warmup seconds per scenario (default: 5, quick: 3).")
    Integer warmup;

    @Option(names = "--duration", description = "Measured seconds per scenario (default: 15, quick: 5).")
    Integer duration;

    @Option(names = "--idle-hold", description = "Seconds the idle scenario holds its connections (default: 10, quick: 3).")
    Integer idleHold;

    @Option(names = "--threads", description = "Load generator event-loop threads (default: half the cores, at least 1).")
    Integer threads;

    @Option(names = "--source-ips", defaultValue = "16", description = "Source addresses 127.0.0.1..N (default: ${DEFAULT-VALUE}).")
    int sourceIps;

    @Option(names = "--quiet-wait", defaultValue = "30",
            description = "Before each run, wait up to this many seconds for other work on the machine to finish (default: ${DEFAULT-VALUE}).")
    int quietWaitSeconds;

    @Option(names = "--repo", defaultValue = "${env:SWITCHBOARD_HOME:-.}",
            description = "Repository root (default: $SWITCHBOARD_HOME, set by bin/switchboard-bench, else the current directory).")
    Path repo;

    @Option(names = "--results", description = "Results directory (default: <repo>/bench/results).")
    Path results;

    @Override
    public Integer call() throws Exception {
        for (String s : servers) {
            if (!KnownServers.NAMES.contains(s)) {
                throw new IllegalArgumentException("unknown server " + s + "; known: " + KnownServers.NAMES);
            }
        }
        for (String s : scenarios) {
            if (!ComparePlan.NAMES.contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s + "; known: " + ComparePlan.NAMES);
            }
        }
        ComparePlan.Timing base = quick ? ComparePlan.Timing.quick() : ComparePlan.Timing.full();
        ComparePlan.Timing timing = new ComparePlan.Timing(
                warmup == null ? base.warmup() : Duration.ofSeconds(warmup),
                duration == null ? base.duration() : Duration.ofSeconds(duration),
                idleHold == null ? base.idleHold() : Duration.ofSeconds(idleHold));
        ClientSettings defaults = ClientSettings.defaults();
        ClientSettings settings = new ClientSettings(threads == null ? defaults.threads() : threads,
                defaults.connectConcurrency(), defaults.connectDeadline(), 0);
        Path root = repo.toAbsolutePath().normalize();
        Comparison comparison = new Comparison(root, results == null ? root.resolve("bench/results") : results,
                Duration.ofSeconds(quietWaitSeconds), System.out);
        System.out.printf("compare: servers %s, scenarios %s, warmup %ds, measured %ds%n",
                servers, scenarios, timing.warmup().toSeconds(), timing.duration().toSeconds());
        int failures = comparison.run(servers, scenarios, timing, settings, sourceIps);
        comparison.report();
        if (failures > 0) {
            System.out.printf("%d run(s) failed; see the lines starting with !! above%n", failures);
        }
        return failures == 0 ? 0 : 1;
    }
}
