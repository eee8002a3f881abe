package dev.switchboard.bench.load;

import dev.switchboard.bench.client.ClientSession;
import dev.switchboard.bench.client.ConnectionOpener;
import dev.switchboard.bench.client.Payloads;
import dev.switchboard.bench.client.ServerTarget;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code latency}: a fixed total rate spread over the senders, sent on schedule whatever the server
 * does (open loop). Latency runs from each message's intended send time to its arrival, so stalls
 * are charged to every message they delay: coordinated omission corrected.
 */
public final class LatencyScenario {

    /**
     * @param rate messages per second over all senders
     */
    public record Options(int users, int devices, int senders, double rate, int messageBytes,
                          Duration warmup, Duration duration) {

        public Options {
            if (users < 1 || devices < 1 || senders < 1 || rate <= 0) {
                throw new IllegalArgumentException("users, devices, senders and rate must be positive");
            }
            if (messageBytes < Payloads.MIN_SIZE) {
                throw new IllegalArgumentException("message size must be >= " + Payloads.MIN_SIZE + " bytes");
            }
        }

        public static Options defaults() {
            return new Options(1_000, 1, 10, 5_000, 64, Duration.ofSeconds(5), Duration.ofSeconds(15));
        }
    }

    private LatencyScenario() {
    }

    public static ScenarioResult run(ServerTarget target, ClientSettings settings, Options o, PrintStream out)
            throws InterruptedException {
        out.printf("== latency: %,.0f msg/s open loop, %,d users x %d device(s), %d senders, %d-byte messages, warmup %ds, measure %ds%n",
                o.rate(), o.users(), o.devices(), o.senders(), o.messageBytes(),
                o.warmup().toSeconds(), o.duration().toSeconds());
        LoadStats stats = new LoadStats();
        SendGate gate = new SendGate();
        String[] users = Throughput.userIds("u", o.users());
        try (LoadClient client = new LoadClient(target, settings, out)) {
            ConnectionOpener.Opened receivers = client.openReceivers(users, o.devices(), stats);
            double perSender = o.rate() / o.senders();
            List<OpenLoopSender> senders = new ArrayList<>();
            for (int i = 0; i < o.senders(); i++) {
                senders.add(new OpenLoopSender(stats, gate, users, perSender, o.messageBytes()));
            }
            List<ClientSession> senderSessions = client.openSenders(senders);
            long pid = client.serverPid();
            CpuMeter cpu = new CpuMeter(pid);
            List<RunProbe> probes = settings.watch().probes();

            gate.open();
            // Stagger the senders' schedules so the total stream is evenly spaced, not in bursts.
            long first = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            long spacing = Math.round(1e9 / o.rate());
            for (int i = 0; i < senders.size(); i++) {
                senders.get(i).start(senderSessions.get(i), first + i * spacing);
            }
            MeasuredRun.Window window = MeasuredRun.run(stats, o.warmup(), o.duration(), out, Throughput.listeners(cpu, probes));
            gate.close();
            LoadStats.Counts totals = Throughput.drain(stats);

            ScenarioResult.Builder result = new ScenarioResult.Builder("latency")
                    .param("protocol", target.wire().name())
                    .param("rate", Math.round(o.rate()))
                    .param("users", o.users()).param("devices", o.devices())
                    .param("senders", o.senders()).param("message_bytes", o.messageBytes())
                    .param("warmup_s", o.warmup().toSeconds()).param("duration_s", o.duration().toSeconds())
                    .param("loadgen_threads", settings.threads());
            Throughput.addReceiverMetrics(result, receivers);
            Throughput.addMetrics(result, window, totals, stats, cpu, pid);
            Throughput.addProbes(result, window, probes, target);
            ScenarioResult r = result.build(target.host() + ":" + target.port());
            Throughput.printSummary(out, r, stats.lastError());
            probes.forEach(p -> out.println("        " + p.summary()));
            return r;
        }
    }
}
