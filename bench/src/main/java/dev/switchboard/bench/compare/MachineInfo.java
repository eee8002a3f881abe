package dev.switchboard.bench.compare;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** One line about the machine the figures come from; they mean little without it. */
final class MachineInfo {

    private MachineInfo() {
    }

    static String describe() {
        return String.format("%d cores (%s), %s RAM, %s %s, Java %s, Node %s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), memory(),
                System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.runtime.version"), nodeVersion());
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
                }
            }
        } catch (Exception unknown) {
            // not Linux
        }
        return "unknown CPU";
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format("%.1f GiB", kb / 1048576.0);
                }
            }
        } catch (Exception unknown) {
            // not Linux
        }
        return "unknown";
    }

    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            p.destroyForcibly();
        } catch (Exception missing) {
            // no node on this machine
        }
        return "n/a";
    }
}
