package dev.switchboard.bench.compare;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.client.SourceAddresses;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.ScenarioResult;
import dev.switchboard.bench.proc.CpuLoad;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs every chosen scenario against every chosen server, each server started fresh for each
 * scenario (the seed never forgets a closed connection, so reuse would skew later runs), saves one
 * JSON summary per run and regenerates the report from everything saved.
 */
public final class Comparison {

    /** The Switchboard launcher may build the jar first. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** Between runs: the previous server's sockets drain and the CPU settles. */
    private static final long PAUSE_SECONDS = 2;
    private static final Duration BACKGROUND_SAMPLE = Duration.ofSeconds(1);
    /** Whole-machine CPU use, with no server running, above which a run is flagged as noisy. */
    static final double BUSY_WARNING_PERCENT = 15;

    private final Path repo;
    private final ResultStore store;
    private final KnownServers known;
    private final PrintStream out;
    private final Duration quietWait;
    /** The server under test right now, for the shutdown hook. */
    private volatile ServerProcess current;

    /** @param quietWait how long each run may wait for other work on the machine to finish */
    public Comparison(Path repo, Path results, Duration quietWait, PrintStream out) {
        this.repo = repo;
        this.quietWait = quietWait;
        this.store = new ResultStore(results);
        this.known = new KnownServers(repo, benchJar(repo));
        this.out = out;
    }

    /** Runs the matrix; returns how many runs failed. Failed runs are reported and skipped. */
    public int run(List<String> servers, List<String> scenarios, ComparePlan.Timing timing, ClientSettings settings,
                   int sourceIps) throws InterruptedException {
        // Ctrl-C or SIGTERM must not leave a server under test running in the background.
        Thread stopCurrent = new Thread(() -> {
            ServerProcess running = current;
            if (running != null) {
                running.close();
            }
        }, "compare-stop-server");
        Runtime.getRuntime().addShutdownHook(stopCurrent);
        try {
            return runAll(servers, scenarios, timing, settings, sourceIps);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopCurrent);
        }
    }

    private int runAll(List<String> servers, List<String> scenarios, ComparePlan.Timing timing, ClientSettings settings,
                       int sourceIps) throws InterruptedException {
        int failures = 0;
        for (String scenario : scenarios) {
            for (String server : servers) {
                out.printf("%n######## %s against %s ########%n", scenario, server);
                try {
                    runOne(scenario, server, timing, settings, sourceIps);
                } catch (IOException | RuntimeException e) {
                    failures++;
                    out.printf("!! %s against %s failed: %s%n", scenario, server, e);
                }
                TimeUnit.SECONDS.sleep(PAUSE_SECONDS);
            }
        }
        return failures;
    }

    private void runOne(String scenario, String server, ComparePlan.Timing timing, ClientSettings settings,
                        int sourceIps) throws IOException, InterruptedException {
        double background = awaitQuietMachine();
        int port = ServerProcess.freePort();
        ServerSpec spec = known.spec(server, port);
        Path log = store.logFile(scenario, server);
        out.printf("starting %s: %s (log: %s)%n", server, String.join(" ", spec.command()), repo.relativize(log.toAbsolutePath()));
        try (ServerProcess process = ServerProcess.start(spec, port, log, START_TIMEOUT)) {
            current = process;
            ServerTarget target = new ServerTarget("127.0.0.1", port, spec.wire(), null,
                    SourceAddresses.loopback(sourceIps), ServerTarget.DEFAULT_HANDSHAKE_TIMEOUT);
            ScenarioResult result = ComparePlan.run(scenario, target, settings.withServerPid(process.pid()), timing, out)
                    .withServer(server)
                    .withParam("server_command", String.join(" ", spec.command()).replace(repo + "/", ""))
                    .withParam("run_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .withMetric("background_cpu_pct", background);
            store.save(result);
            out.println("saved " + repo.relativize(store.runFile(scenario, server).toAbsolutePath()));
        } finally {
            current = null;
        }
    }

    /**
     * Waits (at most {@code quietWait}) until the machine is nearly idle before a server starts, so
     * a build or test run next door does not end up in the figures. Returns the last reading.
     */
    private double awaitQuietMachine() throws InterruptedException {
        long deadline = System.nanoTime() + quietWait.toNanos();
        double busy = CpuLoad.busyPercent(BACKGROUND_SAMPLE);
        boolean told = false;
        while (busy > BUSY_WARNING_PERCENT && System.nanoTime() < deadline) {
            if (!told) {
                out.printf("the machine is %.0f%% busy with other work; waiting up to %ds for it to calm down%n",
                        busy, quietWait.toSeconds());
                told = true;
            }
            busy = CpuLoad.busyPercent(BACKGROUND_SAMPLE);
        }
        if (busy > BUSY_WARNING_PERCENT) {
            out.printf("warning: still %.0f%% busy; running anyway, figures will be noisy%n", busy);
        }
        return busy;
    }

    /** Regenerates REPORT.md and the charts from every saved run. */
    public Path report() throws IOException {
        List<ScenarioResult> results = store.loadAll();
        Set<String> order = new LinkedHashSet<>(KnownServers.NAMES);
        results.stream().map(ScenarioResult::server).sorted().forEach(order::add);
        List<String> servers = new ArrayList<>(order);
        Files.createDirectories(store.root());
        List<String> charts = new ReportCharts(results, servers, store.root()).drawAll();
        Path report = store.root().resolve("REPORT.md");
        new ReportWriter(results, servers).write(report, MachineInfo.describe(), charts);
        out.printf("wrote %s (%d runs, %d charts)%n", report, results.size(), charts.size());
        return report;
    }

    /** The shaded jar this code runs from; when run from classes (tests, IDE) the built one. */
    private static Path benchJar(Path repo) {
        try {
            Path self = Path.of(Comparison.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self)) {
                return self;
            }
        } catch (URISyntaxException | RuntimeException unknown) {
            // fall through
        }
        return repo.resolve("bench/target/switchboard-bench-0.1.0-SNAPSHOT-all.jar");
    }
}
