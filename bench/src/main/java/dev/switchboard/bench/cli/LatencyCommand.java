package dev.switchboard.bench.cli;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.LatencyScenario;
import dev.switchboard.bench.load.ScenarioResult;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "Open loop at a fixed total rate; latency from each message's intended send time "
                + "(coordinated omission corrected).")
final class LatencyCommand extends ScenarioCommand {

    @Option(names = {"-r", "--rate"}, defaultValue = "5000", description = "Messages per second, all senders together (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = {"-u", "--users"}, defaultValue = "1000", description = "Receiving users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = {"-d", "--devices"}, defaultValue = "1", description = "Connections per user (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = {"-s", "--senders"}, defaultValue = "10", description = "Send-only connections (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--size", defaultValue = "64", description = "Message payload bytes, at least 17 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--warmup", defaultValue = "5", description = "Warmup seconds, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--duration", defaultValue = "15", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int duration;

    @Override
    ScenarioResult run(ServerTarget target, ClientSettings settings, PrintStream out) throws Exception {
        return LatencyScenario.run(target, settings, new LatencyScenario.Options(users, devices, senders, rate, size,
                Duration.ofSeconds(warmup), Duration.ofSeconds(duration)), out);
    }
}
