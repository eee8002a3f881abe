package dev.switchboard.bench.cli;

import dev.switchboard.bench.compare.ClusterReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cluster-report", mixinStandardHelpOptions = true,
        description = "Write CLUSTER.md from the JSON summaries bench/cluster saved (one node in memory, "
                + "one on Redis, two on Redis).")
final class ClusterReportCommand implements Callable<Integer> {

    @Option(names = "--runs", required = true, description = "Directory of the runs (and their commands.txt).")
    Path runs;

    @Option(names = "--out", required = true, description = "The report to write.")
    Path out;

    @Option(names = "--redis-version", defaultValue = "Redis (version unknown)", description = "For the report.")
    String redisVersion;

    @Option(names = "--warmup", defaultValue = "0", description = "Warmup seconds of each run, for the report.")
    int warmup;

    @Option(names = "--duration", defaultValue = "0", description = "Measured seconds of each run, for the report.")
    int duration;

    @Override
    public Integer call() throws Exception {
        Path commands = runs.resolve("commands.txt");
        String text = Files.exists(commands) ? Files.readString(commands, StandardCharsets.UTF_8) : "";
        ClusterReport.load(runs).write(out, redisVersion, warmup, duration, text);
        System.out.println("wrote " + out);
        return 0;
    }
}
