package dev.switchboard.bench.load;

import dev.switchboard.bench.proc.ProcFs;
import java.util.OptionalLong;

/** One more process's CPU over the measured window, in percent of one core. */
final class ProcessCpuProbe implements RunProbe {

    private final String name;
    private final long pid;
    private long cpuStart = -1;
    private long wallStart;
    private double percent = Double.NaN;

    ProcessCpuProbe(String name, long pid) {
        this.name = name;
        this.pid = pid;
    }

    @Override
    public void measureStarted() {
        wallStart = System.nanoTime();
        cpuStart = ProcFs.cpuNanos(pid).orElse(-1);
    }

    @Override
    public void measureEnded() {
        long wall = System.nanoTime() - wallStart;
        OptionalLong end = ProcFs.cpuNanos(pid);
        if (cpuStart >= 0 && end.isPresent() && wall > 0) {
            percent = 100.0 * (end.getAsLong() - cpuStart) / wall;
        }
    }

    @Override
    public void addMetrics(ScenarioResult.Builder result, MeasuredRun.Window window) {
        result.metric("cpu_pct_" + name, percent);
    }

    @Override
    public String summary() {
        return String.format("cpu %s (pid %d) %.0f%%", name, pid, percent);
    }
}
