package dev.switchboard.bench.load;

import dev.switchboard.bench.client.ConnectionOpener;
import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.proc.ProcFs;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the message scenarios ({@code targeted}, {@code latency}) have in common after the measured
 * window: waiting for the answers still in flight, then turning counts, histograms and CPU into
 * metrics and a printed summary.
 */
final class Throughput {

    private static final Duration DRAIN = Duration.ofSeconds(5);

    private Throughput() {
    }

    /**
     * After senders stopped: waits (at most {@link #DRAIN}) until every send was answered and every
     * acknowledged delivery arrived, then returns the final totals.
     */
    static LoadStats.Counts drain(LoadStats stats) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        LoadStats.Counts c = stats.snapshot();
        while (System.nanoTime() < deadline
                && (c.acked() + c.errors() < c.sent() || c.delivered() < c.ackedDeliveries())) {
            TimeUnit.MILLISECONDS.sleep(50);
            c = stats.snapshot();
        }
        return c;
    }

    /** How the receivers' connecting went. */
    static void addReceiverMetrics(ScenarioResult.Builder result, ConnectionOpener.Opened receivers) {
        result.metric("receivers_connected", receivers.sessions().size())
                .metric("receivers_failed", receivers.failed())
                .metric("connect_per_s", receivers.perSecond());
    }

    static void addMetrics(ScenarioResult.Builder result, MeasuredRun.Window w, LoadStats.Counts totals,
                           LoadStats stats, CpuMeter cpu, long serverPid) {
        LoadStats.Counts c = w.counts();
        result.metric("measured_s", w.seconds())
                .metric("sent_per_s", w.perSecond(c.sent()))
                .metric("delivered_per_s", w.perSecond(c.delivered()))
                .metric("acked_per_s", w.perSecond(c.acked()))
                .metric("acked_deliveries_per_s", w.perSecond(c.ackedDeliveries()))
                .metric("errors", c.errors())
                .metric("skipped", c.skipped())
                // Over the whole run, after the drain: deliveries an ack promised that never came.
                .metric("undelivered", Math.max(0, totals.ackedDeliveries() - totals.delivered()))
                .metric("unanswered", Math.max(0, totals.sent() - totals.acked() - totals.errors()))
                .metric("connections_lost", stats.lostConnections())
                .metrics(LatencySummary.of(w.delivery()).asMetrics("latency"))
                .metrics(LatencySummary.of(w.ack()).asMetrics("ack"))
                .metric("server_cpu_pct", cpu.serverPercent())
                .metric("loadgen_cpu_pct", cpu.selfPercent())
                .metric("other_cpu_pct", cpu.otherPercent())
                .metric("server_rss_mb", serverPid > 0
                        ? ProcFs.rssBytes(serverPid).orElse(-1) / 1048576.0 : Double.NaN);
    }

    /** The CPU meter first, then the probes: all told when the measured window starts and ends. */
    static List<MeasuredRun.PhaseListener> listeners(CpuMeter cpu, List<RunProbe> probes) {
        List<MeasuredRun.PhaseListener> all = new ArrayList<>();
        all.add(cpu);
        all.addAll(probes);
        return all;
    }

    /** The probes' figures, and where the senders connected when that was another server. */
    static void addProbes(ScenarioResult.Builder result, MeasuredRun.Window w, List<RunProbe> probes, ServerTarget target) {
        if (target.splitsSenders()) {
            result.param("senders_to", target.sendHost() + ":" + target.sendPort());
        }
        probes.forEach(p -> p.addMetrics(result, w));
    }

    static void printSummary(PrintStream out, ScenarioResult r, String lastError) {
        out.printf("result  sent %,.0f/s  delivered %,.0f/s  acked %,.0f/s  (%.1f s measured)%n",
                r.metric("sent_per_s"), r.metric("delivered_per_s"), r.metric("acked_per_s"), r.metric("measured_s"));
        out.printf("        delivery latency %s%n", line(r, "latency"));
        if (r.metric("ack_count") > 0) {
            out.printf("        ack latency      %s%n", line(r, "ack"));
        }
        out.printf("        errors %,.0f  skipped %,.0f  undelivered %,.0f  unanswered %,.0f  connections lost %,.0f%n",
                r.metric("errors"), r.metric("skipped"), r.metric("undelivered"), r.metric("unanswered"),
                r.metric("connections_lost"));
        out.printf("        cpu: server %.0f%%  load generator %.0f%%  other %.0f%% (of one core)  server rss %.0f MB%n",
                r.metric("server_cpu_pct"), r.metric("loadgen_cpu_pct"), r.metric("other_cpu_pct"), r.metric("server_rss_mb"));
        if (lastError != null) {
            out.println("        last error answer: " + lastError);
        }
    }

    private static String line(ScenarioResult r, String prefix) {
        return new LatencySummary((long) r.metric(prefix + "_count"), r.metric(prefix + "_p50_ms"),
                r.metric(prefix + "_p90_ms"), r.metric(prefix + "_p99_ms"), r.metric(prefix + "_p999_ms"),
                r.metric(prefix + "_max_ms"), r.metric(prefix + "_mean_ms")).line();
    }

    static String[] userIds(String prefix, int count) {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = prefix + i;
        }
        return ids;
    }
}
