package dev.switchboard.bench.load;

import dev.switchboard.bench.client.ClientSession;
import dev.switchboard.bench.client.Payloads;
import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.proc.MemorySampler;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * {@code flood}: a few send-only connections push large messages, each under the server's rate
 * limit, at users who are mostly offline, so everything they send lands in history and nowhere
 * else. Meanwhile a watcher user receives small messages on schedule. The server's RSS and heap
 * (and Switchboard's history bytes) are sampled once a second and plotted; the watcher's latency
 * shows whether keeping the flood costs the live traffic its tail (GC pauses, a full heap).
 */
public final class FloodScenario {

    /**
     * @param repeatedUsers 0: every message to a user never named before (unbounded users);
     *     N: messages spread over N users (bounded users, each stream at its caps)
     * @param ratePerConnection messages per second each flooding connection sends (open loop)
     * @param watcherRate messages per second to the watcher
     */
    public record Options(int connections, int messageBytes, double ratePerConnection, int repeatedUsers,
                          Duration duration, double watcherRate, Path chart, Path csv) {

        public Options {
            if (connections < 1 || ratePerConnection <= 0 || watcherRate <= 0 || repeatedUsers < 0) {
                throw new IllegalArgumentException("connections and rates must be positive, repeated users >= 0");
            }
            if (messageBytes < Payloads.MIN_SIZE) {
                throw new IllegalArgumentException("message size must be >= " + Payloads.MIN_SIZE + " bytes");
            }
        }
    }

    private static final int WATCHER_BYTES = 64;
    private static final String WATCHER = "flood-watcher";
    private static final Duration BASELINE = Duration.ofSeconds(3);

    private FloodScenario() {
    }

    public static ScenarioResult run(ServerTarget target, ClientSettings settings, Options o, PrintStream out)
            throws InterruptedException, IOException {
        out.printf("== flood: %d connections x %.0f msg/s of %,d bytes to %s users for %ds; watcher at %.0f msg/s%n",
                o.connections(), o.ratePerConnection(), o.messageBytes(),
                o.repeatedUsers() == 0 ? "ever-new" : String.format("%,d repeated", o.repeatedUsers()),
                o.duration().toSeconds(), o.watcherRate());
        LoadStats flood = new LoadStats();
        LoadStats watch = new LoadStats();
        SendGate gate = new SendGate();
        try (LoadClient client = new LoadClient(target, settings, out)) {
            client.openReceivers(new String[] {WATCHER}, 1, watch);
            List<OpenLoopSender> senders = new ArrayList<>();
            senders.add(new OpenLoopSender(watch, gate, () -> WATCHER, o.watcherRate(), WATCHER_BYTES));
            for (int i = 0; i < o.connections(); i++) {
                senders.add(new OpenLoopSender(flood, gate, users(i, o.repeatedUsers()), o.ratePerConnection(),
                        o.messageBytes()));
            }
            List<ClientSession> sessions = client.openSenders(senders);
            long pid = client.serverPid();
            if (pid <= 0) {
                out.println("server process not found (give --server-pid): memory figures will be missing");
            }
            MemorySampler sampler = new MemorySampler(pid, URI.create("http://" + target.host() + ":" + target.port() + "/metrics"));
            sampler.start();
            Histogram watcherLatency = new Histogram(3);
            try {
                TimeUnit.MILLISECONDS.sleep(BASELINE.toMillis());
                gate.open();
                long first = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
                for (int i = 0; i < senders.size(); i++) {
                    senders.get(i).start(sessions.get(i), first + i * TimeUnit.MILLISECONDS.toNanos(1));
                }
                drive(o, flood, watch, sampler, watcherLatency, out);
                gate.close();
                TimeUnit.SECONDS.sleep(2);
            } finally {
                sampler.close();
            }
            List<MemorySampler.Sample> samples = sampler.samples();
            ScenarioResult r = result(target, o, flood.snapshot(), watch.snapshot(), watcherLatency, samples,
                    flood.lostConnections() + watch.lostConnections());
            if (o.chart() != null) {
                FloodChart.write(samples, o, o.chart());
                out.println("wrote " + o.chart());
            }
            if (o.csv() != null) {
                FloodChart.writeCsv(samples, o.csv());
                out.println("wrote " + o.csv());
            }
            printSummary(out, r, flood.lastError());
            return r;
        }
    }

    /** Each flooding connection names its own users, so two connections never pick the same new id. */
    private static Supplier<String> users(int connection, int repeated) {
        if (repeated > 0) {
            return () -> "flood-" + ThreadLocalRandom.current().nextInt(repeated);
        }
        long[] next = {0};
        String prefix = "flood-" + connection + "-" + Long.toString(System.nanoTime() & 0xffffff, 36) + "-";
        return () -> prefix + next[0]++;
    }

    private static void drive(Options o, LoadStats flood, LoadStats watch, MemorySampler sampler, Histogram total,
                              PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + o.duration().toNanos();
        long tick = start;
        LoadStats.Counts previous = flood.snapshot();
        Histogram interval = null;
        while (System.nanoTime() < end) {
            tick += TimeUnit.SECONDS.toNanos(1);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(tick, end) - System.nanoTime()));
            LoadStats.Counts now = flood.snapshot();
            LoadStats.Counts d = now.minus(previous);
            previous = now;
            interval = watch.deliveryInterval(interval);
            total.add(interval);
            List<MemorySampler.Sample> s = sampler.samples();
            MemorySampler.Sample last = s.isEmpty() ? new MemorySampler.Sample(0, -1, -1, -1) : s.get(s.size() - 1);
            out.printf("%4.0fs  flood sent %,6d acked %,6d errors %,5d  watcher p99 %s  rss %s heap %s history %s%n",
                    (System.nanoTime() - start) / 1e9, d.sent(), d.acked(), d.errors(),
                    LatencySummary.fmt(LatencySummary.of(interval).p99()),
                    mb(last.rssBytes()), mb(last.heapUsedBytes()), mb(last.historyBytes()));
        }
    }

    private static ScenarioResult result(ServerTarget target, Options o, LoadStats.Counts flood, LoadStats.Counts watch,
                                         Histogram watcherLatency, List<MemorySampler.Sample> samples, long lost) {
        long rssStart = samples.isEmpty() ? -1 : samples.get(0).rssBytes();
        long rssEnd = samples.isEmpty() ? -1 : samples.get(samples.size() - 1).rssBytes();
        long rssMax = samples.stream().mapToLong(MemorySampler.Sample::rssBytes).max().orElse(-1);
        long heapMax = samples.stream().mapToLong(MemorySampler.Sample::heapUsedBytes).max().orElse(-1);
        long historyMax = samples.stream().mapToLong(MemorySampler.Sample::historyBytes).max().orElse(-1);
        return new ScenarioResult.Builder("flood")
                .param("protocol", target.wire().name())
                .param("connections", o.connections()).param("message_bytes", o.messageBytes())
                .param("rate_per_connection", o.ratePerConnection())
                .param("users", o.repeatedUsers() == 0 ? "distinct" : Integer.toString(o.repeatedUsers()))
                .param("duration_s", o.duration().toSeconds()).param("watcher_rate", o.watcherRate())
                .metric("flood_sent", flood.sent()).metric("flood_acked", flood.acked())
                .metric("flood_errors", flood.errors()).metric("flood_skipped", flood.skipped())
                .metric("offered_mb", flood.sent() * (double) o.messageBytes() / 1048576.0)
                .metric("watcher_sent", watch.sent()).metric("watcher_delivered", watch.delivered())
                .metric("connections_lost", lost)
                .metric("rss_start_mb", toMb(rssStart)).metric("rss_end_mb", toMb(rssEnd))
                .metric("rss_max_mb", toMb(rssMax))
                .metric("rss_growth_mb", rssStart < 0 || rssMax < 0 ? Double.NaN : toMb(rssMax - rssStart))
                .metric("heap_max_mb", toMb(heapMax)).metric("history_max_mb", toMb(historyMax))
                .metrics(LatencySummary.of(watcherLatency).asMetrics("watcher_latency"))
                .build(target.host() + ":" + target.port());
    }

    private static void printSummary(PrintStream out, ScenarioResult r, String lastError) {
        out.printf("result  flood: %,.0f sent (%,.0f MB offered), %,.0f acked, %,.0f errors%s; %,.0f connections lost%n",
                r.metric("flood_sent"), r.metric("offered_mb"), r.metric("flood_acked"), r.metric("flood_errors"),
                lastError == null ? "" : " (last: " + lastError + ")", r.metric("connections_lost"));
        out.printf("        server rss %,.0f MB at start, %,.0f MB at most (+%,.0f MB), %,.0f MB at the end;"
                        + " heap at most %,.0f MB; history at most %,.0f MB%n",
                r.metric("rss_start_mb"), r.metric("rss_max_mb"), r.metric("rss_growth_mb"), r.metric("rss_end_mb"),
                r.metric("heap_max_mb"), r.metric("history_max_mb"));
        out.printf("        watcher: %,.0f of %,.0f delivered; latency p50 %s p99 %s p99.9 %s max %s%n",
                r.metric("watcher_delivered"), r.metric("watcher_sent"),
                LatencySummary.fmt(r.metric("watcher_latency_p50_ms")), LatencySummary.fmt(r.metric("watcher_latency_p99_ms")),
                LatencySummary.fmt(r.metric("watcher_latency_p999_ms")), LatencySummary.fmt(r.metric("watcher_latency_max_ms")));
    }

    private static double toMb(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / 1048576.0;
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "-" : String.format("%,.0fMB", bytes / 1048576.0);
    }
}
