package dev.switchboard.bench.compare;

import dev.switchboard.bench.load.ResultJson;
import dev.switchboard.bench.load.ScenarioResult;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The comparison's results directory: one JSON summary per scenario and server under
 * {@code runs/} (kept in git so the README can quote them), server logs under {@code raw/}
 * (ignored), and the report with its charts at the top.
 */
final class ResultStore {

    private final Path root;

    ResultStore(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path runFile(String scenario, String server) {
        return root.resolve("runs").resolve(scenario + "--" + server + ".json");
    }

    Path logFile(String scenario, String server) {
        return root.resolve("raw").resolve(scenario + "--" + server + ".log");
    }

    void save(ScenarioResult result) throws IOException {
        ResultJson.write(result, runFile(result.scenario(), result.server()));
    }

    /** Every saved result; a file that does not parse is reported and skipped. */
    List<ScenarioResult> loadAll() throws IOException {
        List<ScenarioResult> results = new ArrayList<>();
        Path runs = root.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return results;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(runs, "*.json")) {
            for (Path file : files) {
                try {
                    results.add(ResultJson.read(file));
                } catch (IOException e) {
                    System.err.println("skipping " + file + ": " + e.getMessage());
                }
            }
        }
        return results;
    }

    static Optional<ScenarioResult> find(List<ScenarioResult> results, String scenario, String server) {
        return results.stream().filter(r -> r.scenario().equals(scenario) && r.server().equals(server)).findFirst();
    }
}
