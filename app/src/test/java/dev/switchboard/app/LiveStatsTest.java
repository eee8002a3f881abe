package dev.switchboard.app;

import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's numbers: one sample per tick, bounded; the latest connection events first. */
class LiveStatsTest {
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final LiveStats stats = new LiveStats(clock, scheduler);

    @Test
    void each_tick_closes_one_sample_of_messages_routed() {
        assertThat(stats.snapshot().messagesPerSecond()).isEmpty();
        routed(3);
        scheduler.runAll();
        scheduler.runAll();
        routed(5);
        scheduler.runAll();

        assertThat(stats.snapshot().messagesPerSecond()).containsExactly(3L, 0L, 5L);
        assertThat(stats.snapshot().messagesTotal()).isEqualTo(8);
        routed(1); // in the open tick: counted in the total, not yet a sample
        assertThat(stats.snapshot().messagesPerSecond()).hasSize(3);
        assertThat(stats.snapshot().messagesTotal()).isEqualTo(9);
    }

    @Test
    void the_samples_keep_the_last_five_minutes_oldest_first() {
        for (int i = 0; i < LiveStats.SAMPLES + 10; i++) {
            routed(i);
            scheduler.runAll();
        }
        var samples = stats.snapshot().messagesPerSecond();
        assertThat(samples).hasSize(LiveStats.SAMPLES);
        assertThat(samples.get(0)).isEqualTo(10L);
        assertThat(samples.get(samples.size() - 1)).isEqualTo(LiveStats.SAMPLES + 9L);
    }

    @Test
    void connects_and_disconnects_are_kept_newest_first_and_bounded() {
        stats.connectionOpened("c1", "bob");
        clock.advance(Duration.ofSeconds(1));
        stats.connectionOpened("c2", null);
        stats.connectionClosed("c1", "bob", 1000);

        var events = stats.snapshot().events();
        assertThat(events).extracting(LiveStats.Event::connectionId).containsExactly("c1", "c2", "c1");
        assertThat(events.get(0).connect()).isFalse();
        assertThat(events.get(0).closeCode()).isEqualTo(1000);
        assertThat(events.get(1).userId()).isNull();
        assertThat(events.get(2).timeMillis()).isEqualTo(events.get(1).timeMillis() - 1000);

        for (int i = 0; i < LiveStats.MAX_EVENTS; i++) {
            stats.connectionOpened("n" + i, "carol");
        }
        assertThat(stats.snapshot().events()).hasSize(LiveStats.MAX_EVENTS)
                .first().extracting(LiveStats.Event::connectionId).isEqualTo("n" + (LiveStats.MAX_EVENTS - 1));
    }

    @Test
    void closing_stops_the_ticker() {
        stats.close();
        assertThat(scheduler.liveTasks()).isEmpty();
    }

    private void routed(int count) {
        Collections.nCopies(count, 0).forEach(i -> stats.messageRouted(1, 1_000));
    }
}
