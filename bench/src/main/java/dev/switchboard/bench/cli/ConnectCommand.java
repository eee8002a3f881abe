package dev.switchboard.bench.cli;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.ConnectScenario;
import dev.switchboard.bench.load.ScenarioResult;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Handshakes per second: concurrent loops that connect, wait until ready, close, repeat.")
final class ConnectCommand extends ScenarioCommand {

    @Option(names = {"-c", "--concurrency"}, defaultValue = "32", description = "Concurrent loops (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--warmup", defaultValue = "3", description = "Warmup seconds, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--duration", defaultValue = "15", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int duration;

    @Override
    ScenarioResult run(ServerTarget target, ClientSettings settings, PrintStream out) throws Exception {
        return ConnectScenario.run(target, settings,
                new ConnectScenario.Options(concurrency, Duration.ofSeconds(warmup), Duration.ofSeconds(duration)), out);
    }
}
