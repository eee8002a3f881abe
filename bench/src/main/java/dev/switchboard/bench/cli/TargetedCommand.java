package dev.switchboard.bench.cli;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.ScenarioResult;
import dev.switchboard.bench.load.TargetedScenario;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "targeted", mixinStandardHelpOptions = true,
        description = "Closed loop: users x devices receive, senders keep a window of sends in flight to random users. "
                + "Prints sent/delivered/acked per second and delivery latency percentiles.")
final class TargetedCommand extends ScenarioCommand {

    @Option(names = {"-u", "--users"}, defaultValue = "1000", description = "Receiving users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = {"-d", "--devices"}, defaultValue = "1", description = "Connections per user (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = {"-s", "--senders"}, defaultValue = "20", description = "Send-only connections (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = {"-w", "--window"}, defaultValue = "16", description = "Sends in flight per sender (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--size", defaultValue = "64", description = "Message payload bytes, at least 17 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--warmup", defaultValue = "5", description = "Warmup seconds, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--duration", defaultValue = "15", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int duration;

    @Override
    ScenarioResult run(ServerTarget target, ClientSettings settings, PrintStream out) throws Exception {
        return TargetedScenario.run(target, settings, new TargetedScenario.Options(users, devices, senders, window, size,
                Duration.ofSeconds(warmup), Duration.ofSeconds(duration)), out);
    }
}
