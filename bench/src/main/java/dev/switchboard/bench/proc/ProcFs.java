package dev.switchboard.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * What Linux's /proc says about a process: resident memory and CPU time. Everything is optional,
 * because the process may have exited, or this may not be Linux.
 */
public final class ProcFs {

    /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every mainstream Linux build. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcFs() {
    }

    /** Resident set size in bytes (VmRSS). */
    public static OptionalLong rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[1]) * 1024);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // fall through: unknown
        }
        return OptionalLong.empty();
    }

    /** User plus system CPU time consumed so far, in nanoseconds. */
    public static OptionalLong cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces; fields are counted after its closing ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return OptionalLong.of(ticks * (1_000_000_000L / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException gone) {
            return OptionalLong.empty();
        }
    }

    /** True when the process runs a Java virtual machine (its executable is named java). */
    public static boolean isJvm(long pid) {
        try {
            Path exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
            return exe.getFileName().toString().equals("java");
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }

    /** The process's command line, for reports. */
    public static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException | RuntimeException unknown) {
            return "";
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
    }
}
