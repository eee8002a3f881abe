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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes {@code CLUSTER.md} from the runs of {@code bench/cluster}: per round, the same scenario
 * against one node in memory, one node on Redis and two nodes on Redis, the ratios to the
 * single-node reference, and whether issue 6's goals were met. Everything below {@link #MARKER} in
 * an existing report (hand-written notes) is kept.
 */
public final class ClusterReport {

    static final String MARKER = "<!-- Hand-written below: bench/cluster keeps everything after this line. -->";
    static final String MEMORY = "memory";
    static final String ONE = "redis-1";
    static final String TWO = "redis-2";
    static final double THROUGHPUT_GOAL = 0.5;
    static final double P99_GOAL = 2.0;

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
        md.append("# Cluster benchmark: two nodes on one Redis\n\n");
        md.append(String.format("Written by `bench/cluster` on %s. Machine: %s. %s.%n%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), MachineInfo.describe(), redisVersion));
        md.append(String.format("Each run: %d s warmup, %d s measured (shorter than `bench/compare`'s 5 s + 15 s, so a%n"
                + "whole run stays under ten minutes). Every node and the load generator share the machine's cores.%n"
                + "Set-ups, side by side in each round: **memory** one node without Redis (the reference), **redis-1** one%n"
                + "node with `--redis`, **redis-2** two nodes on the same Redis, senders on node 1, receivers on node 2.%n%n",
                warmup, duration));
        goals(md);
        targeted(md);
        latency(md);
        redisCalls(md);
        md.append("## Commands\n\nIn the order they ran (ports are picked free at each run):\n\n```\n")
                .append(commands.strip()).append("\n```\n\n");
        return md.toString();
    }

    private void goals(StringBuilder md) {
        md.append("## Goals (issue 6)\n\n| goal | ");
        for (int round : rounds()) {
            md.append("round ").append(round).append(" | ");
        }
        md.append("met |\n|---|");
        rounds().forEach(r -> md.append("---|"));
        md.append("---|\n");
        goalRow(md, "two nodes: messages/s ≥ 50 % of one node in memory (targeted)", "targeted", "acked_per_s", true);
        goalRow(md, "two nodes: p99 ≤ 2 × one node's p99 in memory at 5,000 msg/s (latency)", "latency", "latency_p99_ms", false);
        md.append("\n");
    }

    private void goalRow(StringBuilder md, String goal, String scenario, String metric, boolean higherIsBetter) {
        md.append("| ").append(goal).append(" | ");
        int met = 0;
        int rounds = 0;
        for (int round : rounds()) {
            double reference = metric(round, scenario, MEMORY, metric);
            double two = metric(round, scenario, TWO, metric);
            double ratio = two / reference;
            boolean ok = higherIsBetter ? ratio >= THROUGHPUT_GOAL : ratio <= P99_GOAL;
            if (!Double.isNaN(ratio)) {
                rounds++;
                met += ok ? 1 : 0;
            }
            md.append(higherIsBetter ? pct(ratio) : String.format(Locale.ROOT, "%.2f ×", ratio))
                    .append(" (").append(num(two, metric)).append(" / ").append(num(reference, metric)).append(") | ");
        }
        md.append(rounds == 0 ? "n/a" : met == rounds ? "**yes**" : met == 0 ? "**no**" : met + " of " + rounds + " rounds")
                .append(" |\n");
    }

    private void targeted(StringBuilder md) {
        md.append("## targeted: 10,000 users × 1 connection, 20 senders × window 16, 64-byte messages\n\n");
        md.append("| round | set-up | messages/s | vs memory | vs redis-1 | delivery p50 | p99 | CPU receivers' node | CPU senders' node | CPU Redis | Redis commands / message | other CPU | CPU µs / message (nodes + Redis) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        rows(md, "targeted", "acked_per_s");
    }

    private void latency(StringBuilder md) {
        md.append("\n## latency: 5,000 messages/s open loop to 1,000 users, 10 senders\n\n");
        md.append("| round | set-up | p99 (ms) | vs memory | vs redis-1 | p50 | p99.9 | max | CPU receivers' node | CPU senders' node | CPU Redis | Redis commands / message | other CPU |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        rows(md, "latency", "latency_p99_ms");
        md.append("\nCPU is in % of one core over the measured window; with one node, that node is both the senders' and\n"
                + "the receivers' node. *other* is the machine's CPU not used by the receivers' node or the load generator\n"
                + "(so it includes node 1 and Redis, and any neighbour's work). Redis commands count those run inside\n"
                + "the Lua scripts (`total_commands_processed`).\n\n");
    }

    private void rows(StringBuilder md, String scenario, String key) {
        for (int round : rounds()) {
            for (String setup : List.of(MEMORY, ONE, TWO)) {
                ScenarioResult r = find(round, scenario, setup);
                if (r == null) {
                    continue;
                }
                double value = r.metric(key);
                md.append("| ").append(round).append(" | ").append(setup).append(" | ").append(num(value, key))
                        .append(" | ").append(pct(value / metric(round, scenario, MEMORY, key)))
                        .append(" | ").append(pct(value / metric(round, scenario, ONE, key)));
                if (scenario.equals("targeted")) {
                    md.append(" | ").append(ms(r.metric("latency_p50_ms"))).append(" | ").append(ms(r.metric("latency_p99_ms")));
                } else {
                    md.append(" | ").append(ms(r.metric("latency_p50_ms"))).append(" | ").append(ms(r.metric("latency_p999_ms")))
                            .append(" | ").append(ms(r.metric("latency_max_ms")));
                }
                md.append(" | ").append(cpu(r.metric("server_cpu_pct")))
                        .append(" | ").append(setup.equals(TWO) ? cpu(r.metric("cpu_pct_node1")) : "(same)")
                        .append(" | ").append(cpu(r.metric("cpu_pct_redis")))
                        .append(" | ").append(fixed(r.metric("redis_commands_per_msg")))
                        .append(" | ").append(cpu(r.metric("other_cpu_pct")));
                if (scenario.equals("targeted")) {
                    md.append(" | ").append(fixed(cpuMicrosPerMessage(r)));
                }
                md.append(" |\n");
            }
        }
    }

    /** CPU time the nodes and Redis spent per message: what a message costs, whatever the machine. */
    static double cpuMicrosPerMessage(ScenarioResult r) {
        double percent = r.metric("server_cpu_pct") + orZero(r.metric("cpu_pct_node1")) + orZero(r.metric("cpu_pct_redis"));
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
            for (String setup : List.of(ONE, TWO)) {
                ScenarioResult r = find(last, scenario, setup);
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
                + "make the figures a little uneven.\n\n");
    }

    private TreeSet<Integer> rounds() {
        TreeSet<Integer> rounds = new TreeSet<>();
        runs.forEach(r -> rounds.add(r.round()));
        return rounds;
    }

    private ScenarioResult find(int round, String scenario, String setup) {
        Map<String, ScenarioResult> bySetup = new TreeMap<>();
        runs.stream().filter(r -> r.round() == round && r.result().scenario().equals(scenario))
                .forEach(r -> bySetup.put(r.setup(), r.result()));
        return bySetup.get(setup);
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
