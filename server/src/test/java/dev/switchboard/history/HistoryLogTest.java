package dev.switchboard.history;

import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The off-heap log every user's history shares: records round-trip, the budget holds, the oldest go first. */
class HistoryLogTest {
    private final List<String> dropped = new ArrayList<>();
    /** Two 64 KiB segments: the smallest budget. */
    private final HistoryLog log = new HistoryLog(2 * HistoryLog.MIN_SEGMENT_BYTES, 1024,
            (records, cause, newest) -> dropped.add(records + " " + cause));

    private static Publication placed(String user, String text, long seq, long time) {
        return new Publication(user, Message.ofString(text), "alice").at(seq, "e", time);
    }

    @Test
    void aRecordReadsBackAsThePublicationItKept() {
        Publication json = Publication.of("bob", Message.ofJson("{\"a\":[1,2]}".getBytes()), null,
                new Publication.ReceiptRequest("n1-7", "r9")).at(3, "e", 1234);
        Publication text = placed("bob", "héllo", 4, 1235);

        long first = log.append(json);
        long second = log.append(text);

        assertThat(log.read(first, "bob", 3, "e")).isEqualTo(json);
        Publication back = log.read(second, "bob", 4, "e");
        assertThat(new String(back.message().text(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("héllo");
        assertThat(back.from()).isEqualTo("alice");
        assertThat(back.timestampMillis()).isEqualTo(1235);
        assertThat(log.records()).isEqualTo(2);
    }

    @Test
    void theBudgetHoldsAndTheOldestSegmentGoesFirstWhateverUsersItHolds() {
        String text = "x".repeat(900);
        List<Long> addresses = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            addresses.add(log.append(placed(i % 2 == 0 ? "bob" : "carol", text, i, i)));
            assertThat(log.bytes()).isLessThanOrEqualTo(log.budget());
        }

        assertThat(log.budget()).isEqualTo(2L * HistoryLog.MIN_SEGMENT_BYTES);
        assertThat(log.live(addresses.get(0))).as("the oldest went").isFalse();
        assertThat(log.read(addresses.get(0), "carol", 1, "e")).isNull();
        assertThat(log.live(addresses.get(299))).as("the newest stays").isTrue();
        assertThat(dropped).isNotEmpty().allSatisfy(line -> assertThat(line).endsWith("BUDGET"));
        long kept = addresses.stream().filter(log::live).count();
        assertThat(log.records()).isEqualTo(kept);
    }

    @Test
    void aRecordLargerThanASegmentIsNotKept() {
        HistoryLog small = new HistoryLog(2 * HistoryLog.MIN_SEGMENT_BYTES, 100, (r, c, n) -> { });

        assertThat(small.append(placed("bob", "y".repeat(HistoryLog.MIN_SEGMENT_BYTES + 1), 1, 1))).isEqualTo(-1);
        assertThat(small.records()).isZero();
    }

    @Test
    void expiringDropsTheSegmentsWhoseNewestRecordIsOlderThanTheCutoff() {
        long old = log.append(placed("bob", "old", 1, 1_000));

        assertThat(log.expire(500)).isZero();
        assertThat(log.expire(2_000)).isEqualTo(1);
        assertThat(log.live(old)).isFalse();
        assertThat(log.bytes()).isZero();
        assertThat(dropped).containsExactly("1 TTL");
    }

    @Test
    void releasedRecordsAreNotCountedAsLostWhenTheirSegmentGoes() {
        long a = log.append(placed("bob", "a", 1, 1));
        log.append(placed("bob", "b", 2, 2));
        log.release(a);

        log.expire(10);

        assertThat(dropped).containsExactly("1 TTL");
    }
}
