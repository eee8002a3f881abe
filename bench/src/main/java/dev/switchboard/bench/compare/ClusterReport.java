package dev.switchboard.bench.compare;

import dev.switchboard.bench.load.ResultJson;
import dev.switchboard.bench.load.ScenarioResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes {@code CLUSTER.md} from the runs of {@code bench/cluster}: per round, the same scenario
 * against each set-up (one node in memory, the reference; nodes on one Redis, on client-side shards,
 * on a Redis Cluster; and, when asked, another build's nodes on one Redis), the ratios to the
 * reference, Redis's commands and CPU per message, the medians over the rounds, and whether the
 * goals were met. Everything below {@link #MARKER} in an existing report (hand-written notes) is kept.
 */
public final class ClusterReport {

    static final String MARKER = "<!-- Hand-written below: bench/cluster keeps everything after this line. -->";
    static final String MEMORY = "memory";
    static final double THROUGHPUT_GOAL = 0.5;
    static final double P99_GOAL = 2.0;
    /** The set-ups, in the order they are shown, and what each is. */
    static final Map<String, String> SETUPS = new LinkedHashMap<>();

    static {
        SETUPS.put(MEMORY, "one node without Redis (the reference)");
        SETUPS.put("redis-1", "one node on one Redis");
        SETUPS.put("before-2", "two nodes of the build given with `--before`, on one Redis");
        SETUPS.put("redis-2", "two nodes on one Redis");
        SETUPS.put("shards-2", "two nodes on three Redis servers as client-side shards");
        SETUPS.put("rcluster-2", "two nodes on a Redis Cluster of three masters");
    }

    /** One run: its round and result. Files are named {@code <scenario>--<set-up>--r<round>.json}. */
    record Run(int round, ScenarioResult result) {
        String setup() {
            return result.server();
        }
    }

    private final List<Run> runs;

    ClusterReport(List<Run> runs) {
        this.runs = List.copyOf(runs);
    }

    public static ClusterReport load(Path dir) throws IOException {
        List<Run> runs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*--r*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                int round = Integer.parseInt(name.substring(name.lastIndexOf("--r") + 3, name.length() - ".json".length()));
                runs.add(new Run(round, ResultJson.read(file)));
            }
        }
        return new ClusterReport(runs);
    }

    /** Writes the report to {@code out}, keeping its hand-written part. */
    public void write(Path out, String redisVersion, int warmup, int duration, String commands) throws IOException {
        String kept = "";
        if (Files.exists(out)) {
            String old = Files.readString(out, StandardCharsets.UTF_8);
            int at = old.indexOf(MARKER);
            kept = at < 0 ? "" : old.substring(at + MARKER.length());
        }
        String text = render(redisVersion, warmup, duration, commands) + MARKER + kept;
        Files.writeString(out, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
    }

    String render(String redisVersion, int warmup, int duration, String commands) {
        StringBuilder md = new StringBuilder();
        md.append("# Cluster benchmark: two nodes on one Redis, on shards, on a Redis Cluster\n\n");
        md.append(String.format("Written by `bench/cluster` on %s. Machine: %s. %s.%n%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), MachineInfo.describe(), redisVersion));
        md.append(String.format("Each run: %d s warmup, %d s measured. Every node, every Redis and the load generator"
                + " share the machine's cores. Set-ups, side by side in each round (senders on node 1, receivers on"
                + " node 2 when there are two):%n%n", warmup, duration));
        setups().forEach(setup -> md.append("* **").append(setup).append("**: ")
                .append(SETUPS.getOrDefault(setup, setup)).append('\n'));
        md.append('\n');
        goals(md);
        table(md, "targeted", "## targeted: 10,000 users × 1 connection, 20 senders × window 16, 64-byte messages",
                "acked_per_s", "messages/s");
        table(md, "latency", "## latency: 5,000 messages/s open loop to 1,000 users, 10 senders", "latency_p99_ms",
                "p99");
        md.append("CPU is in % of one core over the measured window; with one node, that node is both the senders' and\n"
                + "the receivers' node. *CPU Redis* is every Redis server's together, from `INFO` (`used_cpu_user` +\n"
                + "`used_cpu_sys`); *Redis commands* count those run inside the Lua scripts (`total_commands_processed`),\n"
                + "summed over the servers; *µs / message* divide CPU time by messages acknowledged.\n\n");
        medians(md);
        redisCalls(md);
        md.append("## Commands\n\nIn the order they ran (ports are picked free at each run):\n\n```\n")
                .append(commands.strip()).append("\n```\n\n");
        return md.toString();
    }

    private void goals(StringBuilder md) {
        md.append("## Goals\n\n| goal | set-up | ");
        rounds().forEach(round -> md.append("round ").append(round).append(" | "));
        md.append("met |\n|---|---|");
        rounds().forEach(r -> md.append("---|"));
        md.append("---|\n");
        for (String setup : setups()) {
            if (setup.endsWith("-2")) {
                goalRow(md, "messages/s ≥ 50 % of one node in memory (targeted)", setup, "targeted", "acked_per_s", true);
                goalRow(md, "p99 ≤ 2 × one node's in memory at 5,000 msg/s (latency)", setup, "latency",
                        "latency_p99_ms", false);
            }
        }
        md.append("\n");
    }

    private void goalRow(StringBuilder md, String goal, String setup, String scenario, String metric,
                         boolean higherIsBetter) {
        StringBuilder row = new StringBuilder("| " + goal + " | " + setup + " | ");
        int met = 0;
        int rounds = 0;
        for (int round : rounds()) {
            double reference = metric(round, scenario, MEMORY, metric);
            double two = metric(round, scenario, setup, metric);
            double ratio = two / reference;
            if (!Double.isNaN(ratio)) {
                rounds++;
                met += (higherIsBetter ? ratio >= THROUGHPUT_GOAL : ratio <= P99_GOAL) ? 1 : 0;
            }
            row.append(higherIsBetter ? pct(ratio) : String.format(Locale.ROOT, "%.2f ×", ratio))
                    .append(" (").append(num(two, metric)).append(" / ").append(num(reference, metric)).append(") | ");
        }
        if (rounds > 0) {
            md.append(row).append(met == rounds ? "**yes**" : met == 0 ? "**no**" : met + " of " + rounds + " rounds")
                    .append(" |\n");
        }
    }

    private void table(StringBuilder md, String scenario, String title, String key, String label) {
        md.append(title).append("\n\n| round | set-up | ").append(label).append(" | vs memory | p50 | p99 | CPU receivers'"
                + " node | CPU senders' node | CPU Redis | Redis commands / message | Redis CPU µs / message |"
                + " CPU µs / message (nodes + Redis) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int round : rounds()) {
            for (String setup : setups()) {
                ScenarioResult r = find(round, scenario, setup);
                if (r == null) {
                    continue;
                }
                double value = r.metric(key);
                md.append("| ").append(round).append(" | ").append(setup).append(" | ").append(num(value, key))
                        .append(" | ").append(pct(value / metric(round, scenario, MEMORY, key)))
                        .append(" | ").append(ms(r.metric("latency_p50_ms"))).append(" | ")
                        .append(ms(r.metric("latency_p99_ms")))
                        .append(" | ").append(cpu(r.metric("server_cpu_pct")))
                        .append(" | ").append(setup.endsWith("-2") ? cpu(r.metric("cpu_pct_node1")) : "(same)")
                        .append(" | ").append(cpu(redisCpu(r)))
                        .append(" | ").append(fixed(r.metric("redis_commands_per_msg")))
                        .append(" | ").append(fixed(redisMicrosPerMessage(r)))
                        .append(" | ").append(fixed(cpuMicrosPerMessage(r))).append(" |\n");
            }
        }
        md.append('\n');
    }

    /** Per set-up, the median over the rounds: what the rounds agree on. */
    private void medians(StringBuilder md) {
        md.append("## Medians over ").append(rounds().size()).append(" round(s)\n\n| scenario | set-up | messages/s |"
                + " p99 | Redis commands / message | Redis CPU µs / message | µs / script (`evalsha`, commandstats) |"
                + " CPU µs / message |\n|---|---|---|---|---|---|---|---|\n");
        for (String scenario : List.of("targeted", "latency")) {
            for (String setup : setups()) {
                List<ScenarioResult> all = new ArrayList<>();
                rounds().forEach(round -> {
                    ScenarioResult r = find(round, scenario, setup);
                    if (r != null) {
                        all.add(r);
                    }
                });
                if (all.isEmpty()) {
                    continue;
                }
                md.append("| ").append(scenario).append(" | ").append(setup)
                        .append(" | ").append(num(median(all, r -> r.metric("acked_per_s")), "acked_per_s"))
                        .append(" | ").append(ms(median(all, r -> r.metric("latency_p99_ms"))))
                        .append(" | ").append(fixed(median(all, r -> r.metric("redis_commands_per_msg"))))
                        .append(" | ").append(fixed(median(all, ClusterReport::redisMicrosPerMessage)))
                        .append(" | ").append(fixed(median(all, r -> r.metric("redis_evalsha_usec_per_call"))))
                        .append(" | ").append(fixed(median(all, ClusterReport::cpuMicrosPerMessage))).append(" |\n");
            }
        }
        md.append('\n');
    }

    static double median(List<ScenarioResult> results, java.util.function.ToDoubleFunction<ScenarioResult> metric) {
        double[] values = results.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** Every Redis server's CPU, from INFO; else from the process watched as {@code redis}. */
    static double redisCpu(ScenarioResult r) {
        double fromInfo = r.metric("redis_cpu_pct");
        return Double.isNaN(fromInfo) ? r.metric("cpu_pct_redis") : fromInfo;
    }

    /** Redis CPU time per message acknowledged. */
    static double redisMicrosPerMessage(ScenarioResult r) {
        return redisCpu(r) / 100 * 1e6 / r.metric("acked_per_s");
    }

    /** CPU time the nodes and Redis spent per message: what a message costs, whatever the machine. */
    static double cpuMicrosPerMessage(ScenarioResult r) {
        double percent = r.metric("server_cpu_pct") + orZero(r.metric("cpu_pct_node1")) + orZero(redisCpu(r));
        return percent / 100 * 1e6 / r.metric("acked_per_s");
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private void redisCalls(StringBuilder md) {
        md.append("## Redis calls per message, by command (last round)\n\n");
        int last = rounds().isEmpty() ? 0 : rounds().last();
        List<ScenarioResult> columns = new ArrayList<>();
        StringBuilder header = new StringBuilder("| command |");
        for (String scenario : List.of("targeted", "latency")) {
            for (String setup : setups()) {
                ScenarioResult r = setup.equals(MEMORY) ? null : find(last, scenario, setup);
                if (r != null) {
                    columns.add(r);
                    header.append(' ').append(scenario).append(", ").append(setup).append(" |");
                }
            }
        }
        TreeSet<String> commands = new TreeSet<>();
        columns.forEach(r -> r.metrics().keySet().stream()
                .filter(k -> k.startsWith("redis_") && k.endsWith("_per_msg") && !k.equals("redis_commands_per_msg"))
                .forEach(commands::add));
        md.append(header).append("\n|---|").append("---|".repeat(columns.size())).append("\n");
        for (String key : commands) {
            md.append("| ").append(key, "redis_".length(), key.length() - "_per_msg".length()).append(" |");
            columns.forEach(r -> md.append(' ').append(fixed(r.metric(key))).append(" |"));
            md.append("\n");
        }
        md.append("\nCounted from `INFO commandstats` before and after the measured window, divided by the messages\n"
                + "sent in it; commands inside `EVALSHA` are counted too, and messages in flight at the window's edges\n"
                + "make the figures a little uneven. *µs / script* is `evalsha`'s `usec` over its `calls` in the same\n"
                + "readings: Redis's time in the script, its inner commands included, without the I/O around it.\n\n");
    }

    private TreeSet<Integer> rounds() {
        TreeSet<Integer> rounds = new TreeSet<>();
        runs.forEach(r -> rounds.add(r.round()));
        return rounds;
    }

    /** The set-ups that ran, known ones in their order, then any other. */
    private List<String> setups() {
        TreeSet<String> ran = new TreeSet<>();
        runs.forEach(r -> ran.add(r.setup()));
        List<String> ordered = new ArrayList<>(SETUPS.keySet());
        ordered.retainAll(ran);
        ran.stream().filter(s -> !SETUPS.containsKey(s)).forEach(ordered::add);
        return ordered;
    }

    private ScenarioResult find(int round, String scenario, String setup) {
        return runs.stream().filter(r -> r.round() == round && r.result().scenario().equals(scenario)
                && r.setup().equals(setup)).map(Run::result).findFirst().orElse(null);
    }

    private double metric(int round, String scenario, String setup, String key) {
        ScenarioResult r = find(round, scenario, setup);
        return r == null ? Double.NaN : r.metric(key);
    }

    private static String num(double v, String key) {
        return key.endsWith("_ms") ? ms(v) : Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v < 10 ? "%.2f ms" : "%.1f ms", v);
    }

    private static String pct(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "–" : String.format(Locale.ROOT, "%.0f %%", 100 * ratio);
    }

    private static String cpu(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f %%", v);
    }

    private static String fixed(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
