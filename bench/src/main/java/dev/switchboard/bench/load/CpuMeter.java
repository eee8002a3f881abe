package dev.switchboard.bench.load;

import dev.switchboard.bench.proc.CpuLoad;
import dev.switchboard.bench.proc.ProcFs;
import java.util.OptionalLong;

/**
 * CPU used over the measured window by the server under test, by the load generator, and by
 * everything else on the machine, each in percent of one core. On a machine this small server and
 * load generator compete for the same cores, so the split explains a throughput figure better than
 * the figure alone, and "other" shows when a neighbour spoiled the run.
 */
final class CpuMeter implements MeasuredRun.PhaseListener {

    private final long serverPid;
    private long serverStart = -1;
    private long selfStart = -1;
    private CpuLoad.Sample machineStart;
    private long wallStart;
    private double serverPercent = Double.NaN;
    private double selfPercent = Double.NaN;
    private double otherPercent = Double.NaN;

    /** {@code serverPid} 0 or less: measure only the load generator. */
    CpuMeter(long serverPid) {
        this.serverPid = serverPid;
    }

    @Override
    public void measureStarted() {
        wallStart = System.nanoTime();
        serverStart = serverPid > 0 ? ProcFs.cpuNanos(serverPid).orElse(-1) : -1;
        selfStart = ProcFs.cpuNanos(ProcessHandle.current().pid()).orElse(-1);
        machineStart = CpuLoad.sample();
    }

    @Override
    public void measureEnded() {
        double wall = System.nanoTime() - wallStart;
        serverPercent = percent(serverStart, serverPid > 0 ? ProcFs.cpuNanos(serverPid) : OptionalLong.empty(), wall);
        selfPercent = percent(selfStart, ProcFs.cpuNanos(ProcessHandle.current().pid()), wall);
        CpuLoad.Sample machineEnd = CpuLoad.sample();
        if (machineStart != null && machineEnd != null) {
            // When the server runs in this JVM (tests), its CPU is already in selfPercent.
            double server = serverPid == ProcessHandle.current().pid() || Double.isNaN(serverPercent) ? 0 : serverPercent;
            otherPercent = Math.max(0, machineEnd.busyCoresPercentSince(machineStart) - server - selfPercent);
        }
    }

    private static double percent(long start, OptionalLong end, double wallNanos) {
        if (start < 0 || end.isEmpty() || wallNanos <= 0) {
            return Double.NaN;
        }
        return 100.0 * (end.getAsLong() - start) / wallNanos;
    }

    double serverPercent() {
        return serverPercent;
    }

    double selfPercent() {
        return selfPercent;
    }

    /** CPU used by neither the server nor the load generator: other work, and kernel threads. */
    double otherPercent() {
        return otherPercent;
    }
}
