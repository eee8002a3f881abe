package dev.switchboard.bench.cli;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.ScenarioResult;
import dev.switchboard.bench.load.TargetedScenario;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "targeted", mixinStandardHelpOptions = true,
        description = "Closed loop: users x devices receive, senders keep a window of sends in flight to random users. "
                + "Prints sent/delivered/acked per second and delivery latency percentiles.")
final class TargetedCommand extends ScenarioCommand {
    @Mixin
    LoadShape load;

    @Option(names = {"-s", "--senders"}, defaultValue = "20", description = "Send-only connections (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = {"-w", "--window"}, defaultValue = "16", description = "Sends in flight per sender (default: ${DEFAULT-VALUE}).")
    int window;

    @Override
    ScenarioResult run(ServerTarget target, ClientSettings settings, PrintStream out) throws Exception {
        return TargetedScenario.run(target, settings, new TargetedScenario.Options(load.users, load.devices, senders, window, load.size,
                load.warmupTime(), load.measuredTime()), out);
    }
}
