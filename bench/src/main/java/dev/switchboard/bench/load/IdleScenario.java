package dev.switchboard.bench.load;

import dev.switchboard.bench.client.ClientSession;
import dev.switchboard.bench.client.ConnectionOpener;
import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.proc.JvmHeap;
import dev.switchboard.bench.proc.ProcFs;
import java.io.PrintStream;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * {@code idle}: N connections, each registered as its own user, that send nothing. Measures what
 * holding them costs the server: resident memory per connection and, for a JVM, live heap per
 * connection (after a full GC), both against a reading taken just before connecting.
 */
public final class IdleScenario {

    /**
     * @param connections idle connections to hold
     * @param hold how long to hold them once open (server keepalives must not drop them)
     * @param warmupConnections opened and closed before the baseline reading, so one-off costs (JIT,
     *     buffer pools, first-use allocations) are not charged to the measured connections
     */
    public record Options(int connections, Duration hold, int warmupConnections) {

        public Options {
            if (connections < 1 || warmupConnections < 0) {
                throw new IllegalArgumentException("connections must be >= 1, warmup connections >= 0");
            }
        }

        public static Options defaults() {
            return new Options(10_000, Duration.ofSeconds(10), 500);
        }
    }

    private record Memory(OptionalLong rss, OptionalLong heap) {
    }

    private IdleScenario() {
    }

    public static ScenarioResult run(ServerTarget target, ClientSettings settings, Options o, PrintStream out)
            throws InterruptedException {
        out.printf("== idle: %,d connections held %ds (%,d warmup connections first)%n",
                o.connections(), o.hold().toSeconds(), o.warmupConnections());
        LoadStats stats = new LoadStats();
        try (LoadClient client = new LoadClient(target, settings, out)) {
            long pid = client.serverPid();
            if (pid <= 0) {
                out.println("server process not found (give --server-pid): memory figures will be missing");
            }
            if (o.warmupConnections() > 0) {
                client.openMany("warmup", o.warmupConnections(), i -> "w" + i, new DeliveryRecorder(stats));
                client.closeAll();
                TimeUnit.SECONDS.sleep(1);
            }
            Memory before = measure(pid);
            out.printf("before: server rss %s, heap %s%n", mb(before.rss()), mb(before.heap()));

            ConnectionOpener.Opened opened = client.openMany("idle", o.connections(), i -> "idle" + i,
                    new DeliveryRecorder(stats));
            long end = System.nanoTime() + o.hold().toNanos();
            while (System.nanoTime() < end) {
                TimeUnit.MILLISECONDS.sleep(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                out.printf("holding: %,d open, server rss %s%n", countOpen(opened), mb(pid > 0 ? ProcFs.rssBytes(pid) : OptionalLong.empty()));
            }
            Memory after = measure(pid);
            int open = countOpen(opened);
            double rssPer = perConnection(before.rss(), after.rss(), open);
            double heapPer = perConnection(before.heap(), after.heap(), open);

            ScenarioResult r = new ScenarioResult.Builder("idle")
                    .param("protocol", target.wire().name())
                    .param("connections", o.connections())
                    .param("hold_s", o.hold().toSeconds())
                    .param("warmup_connections", o.warmupConnections())
                    .metric("connections_open", open)
                    .metric("connect_failed", opened.failed())
                    .metric("connect_per_s", opened.perSecond())
                    .metric("rss_before_mb", toMb(before.rss()))
                    .metric("rss_after_mb", toMb(after.rss()))
                    .metric("rss_per_conn_bytes", rssPer)
                    .metric("heap_before_mb", toMb(before.heap()))
                    .metric("heap_after_mb", toMb(after.heap()))
                    .metric("heap_per_conn_bytes", heapPer)
                    .metric("server_is_jvm", pid > 0 && ProcFs.isJvm(pid) ? 1 : 0)
                    .build(target.host() + ":" + target.port());
            out.printf("result  %,d of %,d connections open after %ds; connected at %,.0f/s%n",
                    open, o.connections(), o.hold().toSeconds(), opened.perSecond());
            out.printf("        server rss %s -> %s: %s per connection%n",
                    mb(before.rss()), mb(after.rss()), bytes(rssPer));
            out.printf("        server heap %s -> %s: %s per connection%n",
                    mb(before.heap()), mb(after.heap()), bytes(heapPer));
            return r;
        }
    }

    private static Memory measure(long pid) {
        if (pid <= 0) {
            return new Memory(OptionalLong.empty(), OptionalLong.empty());
        }
        // Heap first: its full GC may give memory back, and RSS should be read after that.
        OptionalLong heap = JvmHeap.usedAfterGc(pid);
        return new Memory(ProcFs.rssBytes(pid), heap);
    }

    private static int countOpen(ConnectionOpener.Opened opened) {
        int open = 0;
        for (ClientSession s : opened.sessions()) {
            if (s.isOpen()) {
                open++;
            }
        }
        return open;
    }

    private static double perConnection(OptionalLong before, OptionalLong after, int connections) {
        if (before.isEmpty() || after.isEmpty() || connections == 0) {
            return Double.NaN;
        }
        return (double) (after.getAsLong() - before.getAsLong()) / connections;
    }

    private static double toMb(OptionalLong bytes) {
        return bytes.isPresent() ? bytes.getAsLong() / 1048576.0 : Double.NaN;
    }

    private static String mb(OptionalLong bytes) {
        return bytes.isPresent() ? String.format("%,.1f MB", bytes.getAsLong() / 1048576.0) : "n/a";
    }

    private static String bytes(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%,.0f bytes", value);
    }
}
