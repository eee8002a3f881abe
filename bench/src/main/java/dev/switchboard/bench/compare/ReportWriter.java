package dev.switchboard.bench.compare;

import dev.switchboard.bench.load.ScenarioResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Writes {@code REPORT.md}: one table per scenario, the 4-vs-1-device comparison, and the charts. */
final class ReportWriter {

    private record Column(String header, Function<ScenarioResult, String> value) {
    }

    private static final List<Column> TARGETED = List.of(
            col("delivered/s", r -> count(r.metric("delivered_per_s"))),
            col("sent/s", r -> count(r.metric("sent_per_s"))),
            col("p50", r -> ms(r.metric("latency_p50_ms"))),
            col("p90", r -> ms(r.metric("latency_p90_ms"))),
            col("p99", r -> ms(r.metric("latency_p99_ms"))),
            col("p99.9", r -> ms(r.metric("latency_p999_ms"))),
            col("max", r -> ms(r.metric("latency_max_ms"))),
            col("server CPU", r -> pct(r.metric("server_cpu_pct"))),
            col("bench CPU", r -> pct(r.metric("loadgen_cpu_pct"))),
            col("undelivered", r -> count(r.metric("undelivered"))),
            col("errors", r -> count(r.metric("errors"))),
            col("lost conns", r -> count(r.metric("connections_lost"))),
            col("measured", r -> seconds(r.metric("measured_s"))));
    private static final List<Column> LATENCY = List.of(
            col("sent/s", r -> count(r.metric("sent_per_s"))),
            col("delivered/s", r -> count(r.metric("delivered_per_s"))),
            col("p50", r -> ms(r.metric("latency_p50_ms"))),
            col("p90", r -> ms(r.metric("latency_p90_ms"))),
            col("p99", r -> ms(r.metric("latency_p99_ms"))),
            col("p99.9", r -> ms(r.metric("latency_p999_ms"))),
            col("max", r -> ms(r.metric("latency_max_ms"))),
            col("skipped", r -> count(r.metric("skipped"))),
            col("server CPU", r -> pct(r.metric("server_cpu_pct"))),
            col("measured", r -> seconds(r.metric("measured_s"))));
    private static final List<Column> IDLE = List.of(
            col("open", r -> count(r.metric("connections_open"))),
            col("RSS before", r -> mb(r.metric("rss_before_mb"))),
            col("RSS after", r -> mb(r.metric("rss_after_mb"))),
            col("RSS / connection", r -> bytes(r.metric("rss_per_conn_bytes"))),
            col("heap / connection", r -> bytes(r.metric("heap_per_conn_bytes"))),
            col("connects/s", r -> count(r.metric("connect_per_s"))));
    private static final List<Column> CONNECT = List.of(
            col("handshakes/s", r -> count(r.metric("handshakes_per_s"))),
            col("p50", r -> ms(r.metric("handshake_p50_ms"))),
            col("p99", r -> ms(r.metric("handshake_p99_ms"))),
            col("max", r -> ms(r.metric("handshake_max_ms"))),
            col("failed", r -> count(r.metric("failed"))),
            col("server CPU", r -> pct(r.metric("server_cpu_pct"))),
            col("bench CPU", r -> pct(r.metric("loadgen_cpu_pct"))),
            col("measured", r -> seconds(r.metric("measured_s"))));

    /** CPU (percent of one core) used during a run by neither server nor load generator, above which the run is flagged. */
    private static final double OTHER_CPU_WARNING_PERCENT = 25;

    private final List<ScenarioResult> results;
    private final List<String> servers;

    ReportWriter(List<ScenarioResult> results, List<String> servers) {
        this.results = results;
        this.servers = servers;
    }

    void write(Path file, String machine, List<String> charts) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Switchboard benchmark report\n\n");
        md.append("Machine: ").append(machine).append(".  \n");
        md.append("Every server ran alone on this machine, on loopback, restarted fresh for each scenario; the load "
                + "generator (`bin/switchboard-bench`, Netty) ran on the same cores. Reproduce with `bench/compare` "
                + "(see [bench/README.md](../README.md)); one JSON summary per run is in [runs/](runs/).\n\n");
        md.append("Servers: **switchboard** (`bin/switchboard`), **relay** (minimal Netty relay, the bench module), "
                + "**seed** (the tutorial's Node `ws` server as written), **socketio** (Socket.IO, a room per user).\n\n");

        commands(md);
        noisyRuns(md);
        section(md, ComparePlan.TARGETED_1, "Delivery latency runs from the send to the push arriving; "
                + "*undelivered* counts deliveries an ack announced that never arrived.", TARGETED);
        section(md, ComparePlan.TARGETED_4, "Each message fans out to 4 connections.", TARGETED);
        devicesComparison(md);
        section(md, ComparePlan.LATENCY, "Open loop: messages leave on schedule whatever the server does, and latency "
                + "is measured from the intended send time (coordinated omission corrected).", LATENCY);
        section(md, ComparePlan.IDLE, "Connections registered as distinct users, sending nothing. Per connection = "
                + "(after - before) / open connections; heap is the JVM's live heap after a full GC (JVM servers only).", IDLE);
        section(md, ComparePlan.CONNECT, "Each loop connects (as a new userId), waits until the connection is ready, "
                + "closes it and starts over.", CONNECT);

        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            for (String chart : charts) {
                md.append("![").append(chart.replace(".png", "")).append("](").append(chart).append(")\n\n");
            }
        }
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    private void section(StringBuilder md, String scenario, String note, List<Column> columns) {
        List<String> present = servers.stream().filter(s -> find(scenario, s).isPresent()).toList();
        if (present.isEmpty()) {
            return;
        }
        md.append("## ").append(ComparePlan.title(scenario)).append("\n\n").append(note).append("\n\n");
        md.append("| server |");
        columns.forEach(c -> md.append(' ').append(c.header()).append(" |"));
        md.append("\n|---|");
        columns.forEach(c -> md.append("---:|"));
        md.append('\n');
        for (String server : present) {
            ScenarioResult r = find(scenario, server).orElseThrow();
            md.append("| ").append(server).append(" |");
            columns.forEach(c -> md.append(' ').append(c.value().apply(r)).append(" |"));
            md.append('\n');
        }
        md.append('\n');
    }

    private void devicesComparison(StringBuilder md) {
        List<String> both = servers.stream()
                .filter(s -> find(ComparePlan.TARGETED_1, s).isPresent() && find(ComparePlan.TARGETED_4, s).isPresent())
                .toList();
        if (both.isEmpty()) {
            return;
        }
        md.append("## Fan-out: 4 devices per user against 1\n\n");
        md.append("Same senders and window; with 4 devices every send is delivered 4 times.\n\n");
        md.append("| server | sends/s, 1 device | sends/s, 4 devices | deliveries/s, 1 device | deliveries/s, 4 devices | deliveries 4 dev / 1 dev |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (String server : both) {
            ScenarioResult one = find(ComparePlan.TARGETED_1, server).orElseThrow();
            ScenarioResult four = find(ComparePlan.TARGETED_4, server).orElseThrow();
            double ratio = four.metric("delivered_per_s") / one.metric("delivered_per_s");
            md.append(String.format("| %s | %s | %s | %s | %s | %s |%n", server,
                    count(one.metric("sent_per_s")), count(four.metric("sent_per_s")),
                    count(one.metric("delivered_per_s")), count(four.metric("delivered_per_s")),
                    Double.isFinite(ratio) ? String.format("%.2fx", ratio) : "–"));
        }
        md.append('\n');
    }

    /** How each server was started, as recorded in its runs (ports differ per run). */
    private void commands(StringBuilder md) {
        StringBuilder list = new StringBuilder();
        for (String server : servers) {
            results.stream().filter(r -> r.server().equals(server) && r.params().containsKey("server_command"))
                    .map(r -> r.params().get("server_command").replaceAll("--port \\d+", "--port P"))
                    .findFirst()
                    .ifPresent(command -> list.append("- ").append(server).append(": `").append(command).append("`\n"));
        }
        if (list.length() > 0) {
            md.append("Started as:\n\n").append(list).append('\n');
        }
    }

    /**
     * Runs during which something besides the server and the load generator used the CPU (a build
     * next door): their figures understate the server.
     */
    private void noisyRuns(StringBuilder md) {
        List<String> noisy = results.stream()
                .filter(r -> r.metric("background_cpu_pct") > Comparison.BUSY_WARNING_PERCENT
                        || r.metric("other_cpu_pct") > OTHER_CPU_WARNING_PERCENT)
                .map(r -> String.format("%s on %s (other work: %s before, %s during)", r.scenario(), r.server(),
                        pct(r.metric("background_cpu_pct")), pct(r.metric("other_cpu_pct"))))
                .sorted()
                .toList();
        if (!noisy.isEmpty()) {
            md.append("**Warning:** other work used the machine's CPU around these runs, so their figures are low "
                    + "and noisy: ").append(String.join("; ", noisy)).append(".\n\n");
        }
    }

    private Optional<ScenarioResult> find(String scenario, String server) {
        return ResultStore.find(results, scenario, server);
    }

    private static Column col(String header, Function<ScenarioResult, String> value) {
        return new Column(header, value);
    }

    private static String count(double v) {
        return Double.isNaN(v) ? "–" : String.format("%,.0f", v);
    }

    private static String ms(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v < 10 ? String.format("%.2f ms", v) : String.format("%,.0f ms", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format("%.0f%%", v);
    }

    private static String mb(double v) {
        return Double.isNaN(v) ? "–" : String.format("%,.0f MB", v);
    }

    private static String bytes(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return Math.abs(v) >= 10_240 ? String.format("%,.1f KiB", v / 1024) : String.format("%,.0f B", v);
    }

    private static String seconds(double v) {
        return Double.isNaN(v) ? "–" : String.format("%.0f s", v);
    }
}
