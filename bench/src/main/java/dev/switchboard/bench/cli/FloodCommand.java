package dev.switchboard.bench.cli;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.FloodScenario;
import dev.switchboard.bench.load.ScenarioResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "flood", mixinStandardHelpOptions = true,
        description = "A few connections send large messages (each under the rate limit) to offline users while a"
                + " watcher receives small ones: the server's RSS, heap and history bytes sampled each second and"
                + " plotted, the watcher's latency reported. The server must run on this machine.")
final class FloodCommand extends ScenarioCommand {

    @Option(names = {"-n", "--connections"}, defaultValue = "8", description = "Flooding connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--size", defaultValue = "60000", description = "Message payload bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--rate", defaultValue = "70",
            description = "Messages per second per flooding connection; keep it under the server's rate limit"
                    + " (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--users", defaultValue = "distinct", paramLabel = "distinct|N",
            description = "distinct: every message to a user never named before; N: spread over N users"
                    + " (default: ${DEFAULT-VALUE}).")
    String users;

    @Option(names = "--duration", defaultValue = "150", description = "Seconds to flood (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--watcher-rate", defaultValue = "20",
            description = "Small messages per second to the watcher (default: ${DEFAULT-VALUE}).")
    double watcherRate;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "Plot RSS, heap and history bytes over time.")
    Path chart;

    @Option(names = "--csv", paramLabel = "FILE.csv", description = "Write the memory samples as CSV.")
    Path csv;

    @Override
    ScenarioResult run(ServerTarget target, ClientSettings settings, PrintStream out) throws Exception {
        int repeated = "distinct".equals(users) ? 0 : Integer.parseInt(users);
        return FloodScenario.run(target, settings, new FloodScenario.Options(connections, size, rate, repeated,
                Duration.ofSeconds(duration), watcherRate, chart, csv), out);
    }
}
