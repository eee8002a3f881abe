package dev.switchboard.bench.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples a server's memory once a second without disturbing it: resident set size from
 * {@code /proc}, used heap (no forced GC) from a single long-running {@code jstat -gc} that reads the
 * JVM's shared performance counters, and, when the server exposes it, Switchboard's
 * {@code switchboard_history_bytes} from {@code /metrics}. Every figure is optional: a server that is
 * not a JVM has no heap line, one that is not Switchboard has no history line.
 */
public final class MemorySampler implements AutoCloseable {

    /** One reading; NaN-free: a missing figure is -1. Times are seconds since {@link #start}. */
    public record Sample(double seconds, long rssBytes, long heapUsedBytes, long historyBytes) {
    }

    private static final Pattern HISTORY = Pattern.compile("(?m)^switchboard_history_bytes(?:\\{[^}]*})? ([0-9.eE+-]+)$");

    private final long pid;
    private final URI metrics;
    private final List<Sample> samples = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private volatile long heapUsed = -1;
    private volatile boolean running;
    private Process jstat;
    private Thread jstatReader;
    private Thread sampler;
    private long startNanos;

    /** @param metrics the server's Prometheus endpoint, or null not to read it */
    public MemorySampler(long pid, URI metrics) {
        this.pid = pid;
        this.metrics = metrics;
    }

    public void start() {
        startNanos = System.nanoTime();
        running = true;
        if (pid > 0 && ProcFs.isJvm(pid)) {
            startJstat();
        }
        sampler = new Thread(this::sampleLoop, "memory-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The readings so far (a copy). */
    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (sampler != null) {
            sampler.interrupt();
            sampler.join(2_000);
        }
        if (jstat != null) {
            jstat.destroy();
            jstat.waitFor(2, TimeUnit.SECONDS);
        }
    }

    private void sampleLoop() {
        long next = System.nanoTime();
        while (running) {
            long rss = pid > 0 ? ProcFs.rssBytes(pid).orElse(-1) : -1;
            long history = historyBytes().orElse(-1);
            synchronized (this) {
                samples.add(new Sample((System.nanoTime() - startNanos) / 1e9, rss, heapUsed, history));
            }
            next += TimeUnit.SECONDS.toNanos(1);
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private OptionalLong historyBytes() {
        if (metrics == null) {
            return OptionalLong.empty();
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = HISTORY.matcher(r.body());
            return r.statusCode() == 200 && m.find() ? OptionalLong.of((long) Double.parseDouble(m.group(1)))
                    : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    private void startJstat() {
        try {
            jstat = new ProcessBuilder(List.of(JdkTool.path("jstat"), "-gc", Long.toString(pid), "1000"))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return;
        }
        jstatReader = new Thread(this::readJstat, "jstat-reader");
        jstatReader.setDaemon(true);
        jstatReader.start();
    }

    /** {@code jstat -gc} prints a header, then one line a second; heap used = S0U + S1U + EU + OU (KiB). */
    private void readJstat() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.US_ASCII))) {
            String[] header = null;
            String line;
            while ((line = in.readLine()) != null) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length > 0 && cols[0].equals("S0C")) {
                    header = cols;
                } else if (header != null && cols.length == header.length) {
                    heapUsed = heapUsedBytes(header, cols);
                }
            }
        } catch (IOException | RuntimeException e) {
            heapUsed = -1;
        }
    }

    static long heapUsedBytes(String[] header, String[] cols) {
        double kib = 0;
        for (int i = 0; i < header.length; i++) {
            switch (header[i]) {
                case "S0U", "S1U", "EU", "OU" -> kib += Double.parseDouble(cols[i]);
                default -> {
                }
            }
        }
        return (long) (kib * 1024);
    }
}
