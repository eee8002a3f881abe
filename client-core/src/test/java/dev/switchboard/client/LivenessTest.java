package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import static dev.switchboard.client.Liveness.Verdict.ALIVE;
import static dev.switchboard.client.Liveness.Verdict.DEAD;
import static dev.switchboard.client.Liveness.Verdict.PING;
import static org.assertj.core.api.Assertions.assertThat;

/** The heartbeat's decisions, on a clock the test moves (interval 100, checks every 50). */
class LivenessTest {
    private final Liveness liveness = new Liveness(100);

    @Test
    void aServerHeardFromRecentlyIsLeftAlone() {
        assertThat(liveness.checkPeriodNanos()).isEqualTo(50);
        assertThat(liveness.check(1_050, 1_000)).isEqualTo(ALIVE);
        assertThat(liveness.check(1_099, 1_000)).isEqualTo(ALIVE);
    }

    @Test
    void aQuietServerIsPingedAndAnAnswerKeepsItAlive() {
        assertThat(liveness.check(1_100, 1_000)).isEqualTo(PING);
        assertThat(liveness.check(1_150, 1_000)).as("waiting for the pong").isEqualTo(ALIVE);
        assertThat(liveness.check(1_200, 1_180)).as("answered at 1180").isEqualTo(ALIVE);
        assertThat(liveness.check(1_250, 1_180)).isEqualTo(ALIVE);
        assertThat(liveness.check(1_300, 1_180)).as("quiet again: a new ping").isEqualTo(PING);
    }

    @Test
    void aPingUnansweredForAnIntervalMeansTheConnectionIsDead() {
        assertThat(liveness.check(1_100, 1_000)).isEqualTo(PING);
        assertThat(liveness.check(1_150, 1_000)).isEqualTo(ALIVE);
        assertThat(liveness.check(1_200, 1_000)).isEqualTo(DEAD);
    }

    @Test
    void aLateCheckNeverDeclaresDeathWithoutAPingFirst() {
        // The bug this guards against: a check just short of the interval, then one late past twice it.
        assertThat(liveness.check(1_099, 1_000)).isEqualTo(ALIVE);
        assertThat(liveness.check(1_260, 1_000)).isEqualTo(PING);
        assertThat(liveness.check(1_300, 1_000)).isEqualTo(ALIVE);
    }

    @Test
    void whileSuspendedAnOutstandingPingIsForgotten() {
        assertThat(liveness.check(1_100, 1_000)).isEqualTo(PING);

        liveness.suspend();

        assertThat(liveness.check(1_300, 1_000)).as("not dead: a fresh ping instead").isEqualTo(PING);
    }
}
