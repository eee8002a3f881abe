package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamTrackerTest {
    @Test
    void aFirstWelcomePositionsTheStreamAndLiveMessagesFollowIt() {
        StreamTracker stream = new StreamTracker();
        assertThat(stream.canResume()).isFalse();

        assertThat(stream.welcome("E1", 41, null)).isNull();

        assertThat(stream.canResume()).isTrue();
        assertThat(stream.lastSeq()).isEqualTo(41);
        assertThat(stream.accept(41)).isFalse();
        assertThat(stream.accept(42)).isTrue();
        assertThat(stream.lastSeq()).isEqualTo(42);
    }

    @Test
    void aMessageAlreadySeenIsDropped() {
        StreamTracker stream = new StreamTracker();
        stream.welcome("E1", 0, null);

        assertThat(stream.accept(1)).isTrue();
        assertThat(stream.accept(2)).isTrue();
        assertThat(stream.accept(2)).isFalse();
        assertThat(stream.accept(1)).isFalse();
        assertThat(stream.accept(3)).isTrue();
    }

    @Test
    void aRecoveredWelcomeKeepsThePositionSoTheReplayedMessagesAreAccepted() {
        StreamTracker stream = new StreamTracker();
        stream.welcome("E1", 0, null);
        stream.accept(1);

        assertThat(stream.welcome("E1", 5, true)).isNull();

        assertThat(stream.lastSeq()).isEqualTo(1);
        assertThat(stream.accept(2)).isTrue();
    }

    @Test
    void anUnrecoveredWelcomeIsAResyncAndMovesToTheNewPosition() {
        StreamTracker stream = new StreamTracker();
        stream.welcome("E1", 0, null);
        stream.accept(1);
        stream.accept(2);

        Resync resync = stream.welcome("E2", 0, false);

        assertThat(resync).isEqualTo(new Resync("E1", 2, "E2", 0));
        assertThat(stream.epoch()).isEqualTo("E2");
        assertThat(stream.accept(1)).as("seq 1 of the new epoch is new").isTrue();
    }

    @Test
    void recoveredInAnotherEpochIsNotBelievedAndNorIsSilence() {
        StreamTracker stream = new StreamTracker();
        stream.welcome("E1", 3, null);

        assertThat(stream.welcome("E2", 7, true)).isEqualTo(new Resync("E1", 3, "E2", 7));
        assertThat(stream.welcome("E2", 9, null)).isEqualTo(new Resync("E2", 7, "E2", 9));
    }

    @Test
    void aSendOnlyConnectionHasNoStreamToResume() {
        StreamTracker stream = new StreamTracker();

        stream.welcome(null, 0, null);

        assertThat(stream.canResume()).isFalse();
        assertThat(stream.welcome(null, 0, null)).isNull();
    }
}
