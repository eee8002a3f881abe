package dev.switchboard.bench.cli;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.IdleScenario;
import dev.switchboard.bench.load.ScenarioResult;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "idle", mixinStandardHelpOptions = true,
        description = "Hold N idle connections (one user each); report the server's RSS and, for a JVM, live heap "
                + "per connection. The server must run on this machine (pid by --server-pid or by port).")
final class IdleCommand extends ScenarioCommand {

    @Option(names = {"-n", "--connections"}, defaultValue = "10000", description = "Idle connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--duration", defaultValue = "10", description = "Seconds to hold them once open (default: ${DEFAULT-VALUE}).")
    int hold;

    @Option(names = "--warmup-connections", defaultValue = "500",
            description = "Connections opened and closed before the baseline reading (default: ${DEFAULT-VALUE}).")
    int warmupConnections;

    @Override
    ScenarioResult run(ServerTarget target, ClientSettings settings, PrintStream out) throws Exception {
        return IdleScenario.run(target, settings,
                new IdleScenario.Options(connections, Duration.ofSeconds(hold), warmupConnections), out);
    }
}
