package dev.switchboard.bench.cli;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.LatencyScenario;
import dev.switchboard.bench.load.ScenarioResult;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "Open loop at a fixed total rate; latency from each message's intended send time "
                + "(coordinated omission corrected).")
final class LatencyCommand extends ScenarioCommand {
    @Mixin
    LoadShape load;

    @Option(names = {"-r", "--rate"}, defaultValue = "5000", description = "Messages per second, all senders together (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = {"-s", "--senders"}, defaultValue = "10", description = "Send-only connections (default: ${DEFAULT-VALUE}).")
    int senders;

    @Override
    ScenarioResult run(ServerTarget target, ClientSettings settings, PrintStream out) throws Exception {
        return LatencyScenario.run(target, settings, new LatencyScenario.Options(load.users, load.devices, senders, rate, load.size,
                load.warmupTime(), load.measuredTime()), out);
    }
}
