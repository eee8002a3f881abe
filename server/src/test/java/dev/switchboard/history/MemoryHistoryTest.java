package dev.switchboard.history;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryHistoryTest {
    private long nowMillis = 1_000_000;
    private final Clock clock = new Clock() {
        @Override
        public long nanoTime() {
            return nowMillis * 1_000_000;
        }

        @Override
        public long currentTimeMillis() {
            return nowMillis;
        }
    };
    private final MemoryHistory history = new MemoryHistory(clock, 5, Duration.ofMinutes(5));

    private Publication append(String user, String text) {
        return history.append(new Publication(user, Message.ofString(text), "alice"), placed -> { });
    }

    private static List<Long> seqs(Recovery recovery) {
        return recovery.missed().stream().map(Publication::seq).toList();
    }

    @Test
    void eachUserHasAStreamNumberedFromOne() {
        assertThat(append("bob", "a").seq()).isEqualTo(1);
        assertThat(append("bob", "b").seq()).isEqualTo(2);
        assertThat(append("carol", "c").seq()).isEqualTo(1);
        Publication third = append("bob", "d");
        assertThat(third.seq()).isEqualTo(3);
        assertThat(third.epoch()).isEqualTo(history.position("bob").epoch());
        assertThat(third.timestampMillis()).isEqualTo(nowMillis);
        assertThat(history.position("carol").epoch()).isNotEqualTo(third.epoch());
    }

    @Test
    void recoveryReturnsExactlyWhatCameAfterTheClientsPosition() {
        for (int i = 0; i < 4; i++) {
            append("bob", "m" + i);
        }
        String epoch = history.position("bob").epoch();

        Recovery recovery = history.recover("bob", 1, epoch);
        assertThat(recovery.recovered()).isTrue();
        assertThat(seqs(recovery)).containsExactly(2L, 3L, 4L);
        assertThat(recovery.position()).isEqualTo(new StreamPosition(4, epoch));

        Recovery upToDate = history.recover("bob", 4, epoch);
        assertThat(upToDate.recovered()).isTrue();
        assertThat(upToDate.missed()).isEmpty();
    }

    @Test
    void aGapLargerThanTheHistoryIsNotRecovered() {
        for (int i = 0; i < 8; i++) {
            append("bob", "m" + i); // capacity 5: seqs 4..8 remain
        }
        String epoch = history.position("bob").epoch();
        assertThat(history.recover("bob", 3, epoch).recovered()).isTrue();
        assertThat(seqs(history.recover("bob", 3, epoch))).containsExactly(4L, 5L, 6L, 7L, 8L);

        Recovery tooOld = history.recover("bob", 2, epoch);
        assertThat(tooOld.recovered()).isFalse();
        assertThat(tooOld.missed()).isEmpty();
        assertThat(tooOld.position().seq()).isEqualTo(8);
    }

    @Test
    void anotherEpochOrAPositionAheadOfTheStreamIsNotRecovered() {
        append("bob", "a");
        String epoch = history.position("bob").epoch();
        assertThat(history.recover("bob", 0, "another-epoch").recovered()).isFalse();
        assertThat(history.recover("bob", 5, epoch).recovered()).isFalse();
        assertThat(history.recover("bob", 0, null).recovered()).isFalse();
    }

    @Test
    void aClientOfAnotherEpochGetsWhatThisEpochsHistoryHoldsFromItsStart() {
        for (int i = 1; i <= 8; i++) {
            append("bob", "m" + i);
        }
        nowMillis += Duration.ofMinutes(1).toMillis();

        Recovery other = history.recover("bob", 3, "an-epoch-before-a-restart");

        assertThat(other.recovered()).isFalse();
        assertThat(seqs(other)).as("the last 5 kept of this epoch, oldest first").containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(other.position().seq()).isEqualTo(8);
    }

    @Test
    void messagesOlderThanTheTtlAreNoLongerRecoverable() {
        append("bob", "old");
        nowMillis += Duration.ofMinutes(4).toMillis();
        append("bob", "newer");
        String epoch = history.position("bob").epoch();
        nowMillis += Duration.ofMinutes(2).toMillis(); // "old" is now 6 minutes old

        assertThat(history.recover("bob", 0, epoch).recovered()).isFalse();
        Recovery fromOne = history.recover("bob", 1, epoch);
        assertThat(fromOne.recovered()).isTrue();
        assertThat(seqs(fromOne)).containsExactly(2L);
    }

    @Test
    void idleStreamsOfUsersNobodyHoldsAreDroppedAndComeBackInANewEpoch() {
        append("bob", "a");
        append("carol", "a");
        String bobEpoch = history.position("bob").epoch();
        nowMillis += Duration.ofMinutes(5).toMillis();

        int dropped = history.sweep(user -> user.equals("carol"));

        assertThat(dropped).isEqualTo(1);
        assertThat(history.users()).containsExactly("carol");
        StreamPosition reborn = history.position("bob");
        assertThat(reborn.seq()).isZero();
        assertThat(reborn.epoch()).isNotEqualTo(bobEpoch);
        assertThat(history.recover("bob", 1, bobEpoch).recovered()).isFalse();
    }

    @Test
    void aTouchedStreamLivesForTheTtlFromTheTouch() {
        append("bob", "a");
        String epoch = history.position("bob").epoch();
        nowMillis += Duration.ofMinutes(10).toMillis();
        history.touch("bob");
        history.touch("nobody");
        nowMillis += Duration.ofMinutes(5).minusMillis(1).toMillis();

        assertThat(history.sweep(user -> false)).isZero();
        assertThat(history.users()).containsExactly("bob");
        assertThat(history.recover("bob", 1, epoch).recovered()).isTrue();
        nowMillis += 1;
        assertThat(history.sweep(user -> false)).isEqualTo(1);
    }

    @Test
    void memoryIsBoundedByCapacityPerUserAndByTtlOverall() {
        for (int user = 0; user < 100; user++) {
            for (int i = 0; i < 20; i++) {
                append("user-" + user, "m");
            }
        }
        assertThat(history.publications()).isEqualTo(100 * 5);

        nowMillis += Duration.ofMinutes(5).toMillis();
        history.sweep(user -> false);
        assertThat(history.streams()).isZero();
        assertThat(history.publications()).isZero();
    }

    @Test
    void concurrentAppendsToOneUserGetContiguousSeqsAndReachTheCallbackInOrder() throws Exception {
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 2_500; i++) {
                    history.append(new Publication("bob", Message.ofString("x"), null), p -> seen.add(p.seq()));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(seen).hasSize(10_000);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i + 1L);
        }
    }

    @Test
    void aResumeThatNeedsAnEntryTheGlobalBudgetEvictedIsNotRecovered() {
        MemoryHistory small = new MemoryHistory(clock, new HistoryOptions(1000, Duration.ofMinutes(5),
                2 * HistoryLog.MIN_SEGMENT_BYTES, 1 << 20), 1024, user -> false);
        for (int i = 0; i < 10; i++) {
            small.append(new Publication("bob", Message.ofString("bob " + i), null), p -> { });
        }
        String epoch = small.position("bob").epoch();
        String big = "x".repeat(900);
        for (int i = 0; i < 300; i++) {
            small.append(new Publication("carol-" + (i % 7), Message.ofString(big), null), p -> { });
            assertThat(small.bytes()).isLessThanOrEqualTo(small.budget());
        }

        Recovery bob = small.recover("bob", 0, epoch);

        assertThat(bob.recovered()).as("bob's oldest went first, with everyone's").isFalse();
        assertThat(bob.missed()).isEmpty();
        assertThat(small.recover("bob", 10, epoch).recovered()).as("nothing missed: nothing to recover").isTrue();
        assertThat(small.evictions(HistoryLog.Cause.BUDGET)).isPositive();
        assertThat(small.publications()).isLessThan(310);
    }

    @Test
    void theNumberOfStreamsIsBoundedAndAHeldStreamIsKept() {
        MemoryHistory history = new MemoryHistory(clock, new HistoryOptions(5, Duration.ofMinutes(5)), 1024,
                user -> user.equals("held"));
        history.append(new Publication("held", Message.ofString("mine"), null), p -> { });
        String heldEpoch = history.position("held").epoch();
        for (int i = 0; i < history.maxStreams() + 500; i++) {
            history.append(new Publication("user-" + i, Message.ofString("m"), null), p -> { });
        }

        assertThat(history.streams()).isLessThanOrEqualTo(history.maxStreams());
        assertThat(history.position("held").epoch()).as("a held stream keeps its epoch").isEqualTo(heldEpoch);
        assertThat(history.evictions(HistoryLog.Cause.BUDGET)).isPositive();
    }

    @Test
    void aUsersHistoryIsBoundedInBytesToo() {
        MemoryHistory history = new MemoryHistory(clock, new HistoryOptions(1000, Duration.ofMinutes(5),
                HistoryOptions.defaultMaxBytes(), 2048), 1024, user -> false);
        for (int i = 0; i < 10; i++) {
            history.append(new Publication("bob", Message.ofString("y".repeat(500)), null), p -> { });
        }
        String epoch = history.position("bob").epoch();

        assertThat(history.publications()).isEqualTo(4);
        assertThat(seqs(history.recover("bob", 6, epoch))).containsExactly(7L, 8L, 9L, 10L);
        assertThat(history.recover("bob", 5, epoch).recovered()).isFalse();
        assertThat(history.evictions(HistoryLog.Cause.SIZE)).isEqualTo(6);
    }

    @Test
    void zeroCapacityKeepsPositionsOnly() {
        MemoryHistory none = new MemoryHistory(clock, 0, Duration.ofMinutes(1));
        none.append(new Publication("bob", Message.ofString("a"), null), p -> { });
        String epoch = none.position("bob").epoch();
        assertThat(none.position("bob").seq()).isEqualTo(1);
        assertThat(none.recover("bob", 0, epoch).recovered()).isFalse();
        assertThat(none.recover("bob", 1, epoch).recovered()).isTrue();
        assertThatThrownBy(() -> new MemoryHistory(clock, -1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBudgetThatEvictsYoungEntriesWarnsAtMostOnceAMinute() {
        MemoryHistory small = new MemoryHistory(clock, new HistoryOptions(1000, Duration.ofMinutes(5),
                2 * HistoryLog.MIN_SEGMENT_BYTES, 1 << 20), 1024, user -> false);
        String big = "y".repeat(900);
        try (dev.switchboard.testing.LogCapture log = dev.switchboard.testing.LogCapture.everything()) {
            for (int minute = 0; minute < 3; minute++) {
                for (int i = 0; i < 600; i++) {
                    small.append(new Publication("u" + (i % 13), Message.ofString(big), null), p -> { });
                    nowMillis += 50; // 30 s of young entries evicted for the budget each half
                }
            }
            // 90 s of evictions of entries younger than the TTL: one warning, then one a minute later.
            assertThat(log.eventsContaining("history is full")).hasSize(2)
                    .allSatisfy(event -> assertThat(event).startsWith("WARN"));

            // Entries older than the TTL going for the budget are no cause for alarm.
            nowMillis += Duration.ofMinutes(10).toMillis();
            MemoryHistory slow = new MemoryHistory(clock, new HistoryOptions(1000, Duration.ofSeconds(1),
                    2 * HistoryLog.MIN_SEGMENT_BYTES, 1 << 20), 1024, user -> false);
            for (int i = 0; i < 600; i++) {
                slow.append(new Publication("u" + (i % 13), Message.ofString(big), null), p -> { });
                nowMillis += 2_000; // each entry is past the 1 s TTL by the time the budget takes it
            }
            assertThat(slow.evictions(HistoryLog.Cause.BUDGET) + slow.evictions(HistoryLog.Cause.TTL)).isPositive();
            assertThat(log.eventsContaining("history is full")).as("no new warning").hasSize(2);
        }
    }
}
