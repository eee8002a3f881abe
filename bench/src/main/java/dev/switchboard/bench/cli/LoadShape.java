package dev.switchboard.bench.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every load scenario shares: who receives, how big a message is, how long to run. */
final class LoadShape {
    @Option(names = {"-u", "--users"}, defaultValue = "1000", description = "Receiving users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = {"-d", "--devices"}, defaultValue = "1", description = "Connections per user (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--size", defaultValue = "64", description = "Message payload bytes, at least 17 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--warmup", defaultValue = "5", description = "Warmup seconds, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--duration", defaultValue = "15", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int duration;

    Duration warmupTime() {
        return Duration.ofSeconds(warmup);
    }

    Duration measuredTime() {
        return Duration.ofSeconds(duration);
    }
}
