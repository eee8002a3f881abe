package dev.switchboard.bench.cli;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.ResultJson;
import dev.switchboard.bench.load.ScenarioResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A sub-command that runs one scenario against a server and can save its result as JSON. */
abstract class ScenarioCommand implements Callable<Integer> {

    @Mixin
    TargetOptions targetOptions;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result to FILE as JSON.")
    Path json;

    @Option(names = "--label", description = "Server name in the JSON result (default: host:port).")
    String label;

    abstract ScenarioResult run(ServerTarget target, ClientSettings settings, PrintStream out) throws Exception;

    @Override
    public Integer call() throws Exception {
        ScenarioResult result = run(targetOptions.target(), targetOptions.settings(), System.out);
        if (label != null) {
            result = result.withServer(label);
        }
        if (json != null) {
            ResultJson.write(result, json);
            System.out.println("wrote " + json);
        }
        return 0;
    }
}
