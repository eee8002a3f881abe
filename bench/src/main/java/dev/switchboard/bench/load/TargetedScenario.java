package dev.switchboard.bench.load;

import dev.switchboard.bench.client.ClientSession;
import dev.switchboard.bench.client.ConnectionOpener;
import dev.switchboard.bench.client.Payloads;
import dev.switchboard.bench.client.ServerTarget;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code targeted}: users × devices receiving connections, and senders that each keep a window of
 * sends in flight to random users (closed loop). Measures what the server sustains, and the latency
 * from send to push at that load.
 */
public final class TargetedScenario {

    /**
     * @param users distinct userIds that receive
     * @param devices connections per user
     * @param senders send-only connections
     * @param window sends each sender keeps in flight (a send is in flight until its ack)
     * @param messageBytes size of the message payload
     */
    public record Options(int users, int devices, int senders, int window, int messageBytes,
                          Duration warmup, Duration duration) {

        public Options {
            if (users < 1 || devices < 1 || senders < 1 || window < 1) {
                throw new IllegalArgumentException("users, devices, senders and window must be >= 1");
            }
            if (messageBytes < Payloads.MIN_SIZE) {
                throw new IllegalArgumentException("message size must be >= " + Payloads.MIN_SIZE + " bytes");
            }
        }

        public static Options defaults() {
            return new Options(1_000, 1, 20, 16, 64, Duration.ofSeconds(5), Duration.ofSeconds(15));
        }
    }

    private TargetedScenario() {
    }

    public static ScenarioResult run(ServerTarget target, ClientSettings settings, Options o, PrintStream out)
            throws InterruptedException {
        out.printf("== targeted: %,d users x %d device(s), %d senders, window %d, %d-byte messages, warmup %ds, measure %ds%n",
                o.users(), o.devices(), o.senders(), o.window(), o.messageBytes(),
                o.warmup().toSeconds(), o.duration().toSeconds());
        LoadStats stats = new LoadStats();
        SendGate gate = new SendGate();
        String[] users = Throughput.userIds("u", o.users());
        try (LoadClient client = new LoadClient(target, settings, out)) {
            ConnectionOpener.Opened receivers = client.openReceivers(users, o.devices(), stats);
            List<ClosedLoopSender> senders = new ArrayList<>();
            for (int i = 0; i < o.senders(); i++) {
                senders.add(new ClosedLoopSender(stats, gate, users, o.window(), o.messageBytes()));
            }
            List<ClientSession> senderSessions = client.openSenders(senders);
            long pid = client.serverPid();
            CpuMeter cpu = new CpuMeter(pid);
            List<RunProbe> probes = settings.watch().probes();

            gate.open();
            for (int i = 0; i < senders.size(); i++) {
                senders.get(i).start(senderSessions.get(i));
            }
            MeasuredRun.Window window = MeasuredRun.run(stats, o.warmup(), o.duration(), out, Throughput.listeners(cpu, probes));
            gate.close();
            LoadStats.Counts totals = Throughput.drain(stats);

            ScenarioResult.Builder result = new ScenarioResult.Builder("targeted")
                    .param("protocol", target.wire().name())
                    .param("users", o.users()).param("devices", o.devices())
                    .param("senders", o.senders()).param("window", o.window())
                    .param("message_bytes", o.messageBytes())
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
