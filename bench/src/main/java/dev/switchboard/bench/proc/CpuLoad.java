package dev.switchboard.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How busy the whole machine is, from the first line of /proc/stat. A benchmark on a shared box
 * (a build or test run next door) reports the neighbour as much as the server; this lets a run
 * notice and say so.
 */
public final class CpuLoad {

    /** Cumulative jiffies of all cores: total, and idle (idle + iowait). */
    public record Sample(long total, long idle) {

        /** CPU used by everything between {@code earlier} and this sample, in percent of one core. */
        public double busyCoresPercentSince(Sample earlier) {
            long total = this.total - earlier.total;
            long idle = this.idle - earlier.idle;
            if (total <= 0) {
                return Double.NaN;
            }
            return 100.0 * Runtime.getRuntime().availableProcessors() * (total - idle) / total;
        }
    }

    private CpuLoad() {
    }

    /** The counters now, or null when /proc/stat is unreadable (not Linux). */
    public static Sample sample() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest time is already counted in user)
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new Sample(total, Long.parseLong(f[4]) + Long.parseLong(f[5]));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** Percentage of all cores that was busy over {@code window}; NaN when /proc/stat is unreadable. */
    public static double busyPercent(Duration window) throws InterruptedException {
        Sample before = sample();
        TimeUnit.NANOSECONDS.sleep(window.toNanos());
        Sample after = sample();
        if (before == null || after == null) {
            return Double.NaN;
        }
        return after.busyCoresPercentSince(before) / Runtime.getRuntime().availableProcessors();
    }
}
