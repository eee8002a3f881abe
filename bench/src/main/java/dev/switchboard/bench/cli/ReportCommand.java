package dev.switchboard.bench.cli;

import dev.switchboard.bench.compare.Comparison;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Regenerate REPORT.md and its charts from the JSON summaries saved by compare.")
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--repo", defaultValue = "${env:SWITCHBOARD_HOME:-.}", description = "Repository root (default: ${DEFAULT-VALUE}).")
    Path repo;

    @Option(names = "--results", description = "Results directory (default: <repo>/bench/results).")
    Path results;

    @Override
    public Integer call() throws Exception {
        Path root = repo.toAbsolutePath().normalize();
        new Comparison(root, results == null ? root.resolve("bench/results") : results, Duration.ZERO, System.out).report();
        return 0;
    }
}
