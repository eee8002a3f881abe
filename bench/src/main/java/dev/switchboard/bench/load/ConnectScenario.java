package dev.switchboard.bench.load;

import dev.switchboard.bench.client.ClientSession;
import dev.switchboard.bench.client.FrameListener;
import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.client.WsConnector;
import io.netty.util.concurrent.Future;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code connect}: {@code concurrency} loops, each connecting (registered as a fresh userId), waiting
 * until the connection is ready, closing it and starting over. Measures handshakes per second and
 * the time from connect to ready.
 */
public final class ConnectScenario {

    private static final MeasuredRun.Labels LABELS = new MeasuredRun.Labels("started", "ready", "closed");
    /** After a failed attempt, wait this long so a dead server is not hammered in a tight loop. */
    private static final long RETRY_PAUSE_MILLIS = 10;

    public record Options(int concurrency, Duration warmup, Duration duration) {

        public Options {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1");
            }
        }

        public static Options defaults() {
            return new Options(32, Duration.ofSeconds(3), Duration.ofSeconds(15));
        }
    }

    private ConnectScenario() {
    }

    public static ScenarioResult run(ServerTarget target, ClientSettings settings, Options o, PrintStream out)
            throws InterruptedException {
        out.printf("== connect: %d concurrent connect/ready/close loops, warmup %ds, measure %ds%n",
                o.concurrency(), o.warmup().toSeconds(), o.duration().toSeconds());
        LoadStats stats = new LoadStats();
        SendGate gate = new SendGate();
        AtomicLong nextUser = new AtomicLong();
        CountDownLatch stopped = new CountDownLatch(o.concurrency());
        try (LoadClient client = new LoadClient(target, settings, out)) {
            long pid = client.serverPid();
            CpuMeter cpu = new CpuMeter(pid);
            gate.open();
            for (int i = 0; i < o.concurrency(); i++) {
                new Loop(client.connector(), stats, gate, nextUser, stopped).next();
            }
            MeasuredRun.Window window = MeasuredRun.run(stats, LABELS, o.warmup(), o.duration(), out, List.of(cpu));
            gate.close();
            stopped.await(target.handshakeTimeout().toSeconds() + 5, TimeUnit.SECONDS);

            LoadStats.Counts c = window.counts();
            LatencySummary handshake = LatencySummary.of(window.delivery());
            ScenarioResult r = new ScenarioResult.Builder("connect")
                    .param("protocol", target.wire().name())
                    .param("concurrency", o.concurrency())
                    .param("warmup_s", o.warmup().toSeconds()).param("duration_s", o.duration().toSeconds())
                    .param("loadgen_threads", settings.threads())
                    .metric("measured_s", window.seconds())
                    .metric("handshakes_per_s", window.perSecond(c.delivered()))
                    .metric("failed", c.errors())
                    .metrics(handshake.asMetrics("handshake"))
                    .metric("server_cpu_pct", cpu.serverPercent())
                    .metric("loadgen_cpu_pct", cpu.selfPercent())
                    .metric("other_cpu_pct", cpu.otherPercent())
                    .build(target.host() + ":" + target.port());
            out.printf("result  %,.0f handshakes/s  (%.1f s measured, %,d failed)%n",
                    r.metric("handshakes_per_s"), window.seconds(), c.errors());
            out.printf("        connect-to-ready %s%n", handshake.line());
            out.printf("        cpu: server %.0f%%  load generator %.0f%%  other %.0f%% (of one core)%n",
                    r.metric("server_cpu_pct"), r.metric("loadgen_cpu_pct"), r.metric("other_cpu_pct"));
            if (stats.lastError() != null) {
                out.println("        last failure: " + stats.lastError());
            }
            return r;
        }
    }

    /** One connect → ready → close loop; each step starts from the previous one's callback. */
    private record Loop(WsConnector connector, LoadStats stats, SendGate gate, AtomicLong nextUser,
                        CountDownLatch stopped) {

        void next() {
            if (!gate.isOpen()) {
                stopped.countDown();
                return;
            }
            long start = System.nanoTime();
            stats.sent();
            Future<ClientSession> ready = connector.connect("c" + nextUser.getAndIncrement(), FrameListener.IGNORE);
            ready.addListener(f -> {
                if (f.isSuccess()) {
                    stats.delivered(System.nanoTime() - start);
                    ready.getNow().close().addListener(closed -> {
                        stats.acked(0, -1);
                        next();
                    });
                } else {
                    stats.error(String.valueOf(f.cause()));
                    io.netty.util.concurrent.GlobalEventExecutor.INSTANCE
                            .schedule(this::next, RETRY_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                }
            });
        }
    }
}
