package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private static final Duration FIRST = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(3);

    private static List<Long> delays(Backoff backoff, int count) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            millis.add(backoff.next().toMillis());
        }
        return millis;
    }

    @Test
    void theCeilingDoublesUpToTheMaximum() {
        Backoff highest = new Backoff(FIRST, MAX, () -> Math.nextDown(1.0));

        assertThat(delays(highest, 8)).containsExactly(100L, 200L, 400L, 800L, 1600L, 3000L, 3000L, 3000L);
    }

    @Test
    void halfOfEveryDelayIsCertainTheOtherHalfRandom() {
        Backoff lowest = new Backoff(FIRST, MAX, () -> 0.0);
        Backoff middle = new Backoff(FIRST, MAX, () -> 0.5);

        assertThat(delays(lowest, 7)).containsExactly(50L, 100L, 200L, 400L, 800L, 1500L, 1500L);
        assertThat(delays(middle, 3)).containsExactly(75L, 150L, 300L);
    }

    @Test
    void realRandomnessSpreadsClientsOverTheWholeRange() {
        List<Long> firstDelays = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            firstDelays.add(new Backoff(FIRST, MAX, () -> ThreadLocalRandom.current().nextDouble()).next().toMillis());
        }

        assertThat(firstDelays).allSatisfy(d -> assertThat(d).isBetween(50L, 100L));
        assertThat(firstDelays.stream().distinct().count()).as("jittered, not one value").isGreaterThan(30);
        assertThat(firstDelays.stream().filter(d -> d < 75).count()).as("both halves of the range")
                .isBetween(350L, 650L);
    }

    @Test
    void aSuccessStartsOverFromTheFirstDelay() {
        Backoff backoff = new Backoff(FIRST, MAX, () -> 0.0);
        delays(backoff, 5);

        backoff.reset();

        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void endlessFailuresNeverOverflow() {
        Backoff backoff = new Backoff(Duration.ofNanos(1), Duration.ofDays(1), () -> 0.0);

        List<Long> last = delays(backoff, 200).subList(190, 200);

        assertThat(last).containsOnly(Duration.ofHours(12).toMillis());
    }
}
