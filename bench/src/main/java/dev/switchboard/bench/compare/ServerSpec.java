package dev.switchboard.bench.compare;

import dev.switchboard.bench.client.WireProtocol;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one server under test on a given port, and how to talk to it.
 *
 * @param command the process to start (its own launcher, so each server runs as its users run it)
 * @param env extra environment variables
 */
public record ServerSpec(String name, String description, WireProtocol wire, List<String> command, Path workDir,
                         Map<String, String> env) {

    public ServerSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }
}
