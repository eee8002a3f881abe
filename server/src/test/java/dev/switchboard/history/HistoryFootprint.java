package dev.switchboard.history;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;

import java.time.Duration;

/**
 * Measures what a retained message costs in {@link MemoryHistory}: fills the history with 64-byte
 * messages (as the load generator sends) and compares the live heap before and after, and reports
 * the off-heap log's bytes (whole segments) per message.
 * Run with {@code bench/history-footprint [users] [messagesPerUser]}; not part of {@code mvn verify}.
 */
public final class HistoryFootprint {
    private HistoryFootprint() {
    }

    public static void main(String[] args) throws InterruptedException {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int perUser = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        MemoryHistory history = new MemoryHistory(Clock.SYSTEM, 1000, Duration.ofMinutes(5));
        String payload = "~0123456789abcdef" + "x".repeat(47);
        long before = liveHeap();
        for (int i = 0; i < perUser; i++) {
            for (int u = 0; u < users; u++) {
                history.append(new Publication("u" + u, Message.ofString(payload), null), placed -> { });
            }
        }
        long after = liveHeap();
        long retained = history.publications();
        System.out.printf("users=%d messages/user=%d retained=%d heap=%.1f MiB heap bytes/message=%.1f"
                        + " off-heap=%.1f MiB off-heap bytes/message=%.1f%n",
                users, perUser, retained, (after - before) / 1048576.0, (after - before) / (double) retained,
                history.bytes() / 1048576.0, history.bytes() / (double) retained);
    }

    private static long liveHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
