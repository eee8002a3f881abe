package dev.switchboard.hub;

import dev.switchboard.core.Clock;
import dev.switchboard.core.CloseCodes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatTest {
    private long now = 1_000_000_000L;
    private final Clock clock = new Clock() {
        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public long currentTimeMillis() {
            return now / 1_000_000;
        }
    };
    private final FakeSession session = new FakeSession("1", "bob");
    private final Heartbeat heartbeat = new Heartbeat(clock, Duration.ofSeconds(25), Duration.ofSeconds(60),
            visitor -> List.of(session).forEach(visitor));

    private void advance(Duration duration) {
        now += duration.toNanos();
    }

    @Test
    void anActiveConnectionIsNeitherPingedNorClosed() {
        session.activeAt(now);
        advance(Duration.ofSeconds(24));
        heartbeat.tick();

        assertThat(session.pings()).isZero();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void aSilentConnectionIsPingedOncePerInterval() {
        session.activeAt(now);
        advance(Duration.ofSeconds(25));
        heartbeat.tick();
        heartbeat.tick();
        assertThat(session.pings()).isEqualTo(1);

        advance(Duration.ofSeconds(25));
        heartbeat.tick();
        assertThat(session.pings()).isEqualTo(2);
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void aConnectionSilentForTheIdleTimeoutIsClosedWith4000() {
        session.activeAt(now);
        advance(Duration.ofSeconds(60));
        heartbeat.tick();

        assertThat(session.closeCode()).isEqualTo(CloseCodes.IDLE_TIMEOUT);
        assertThat(session.closeReason()).isEqualTo("idle timeout");
    }

    @Test
    void aConnectionWhoseTokenExpiredIsClosedWith4001() {
        session.activeAt(now);
        session.expiresAt(clock.currentTimeMillis() + 5_000);
        advance(Duration.ofSeconds(4));
        heartbeat.tick();
        assertThat(session.isOpen()).isTrue();

        advance(Duration.ofSeconds(1));
        heartbeat.tick();
        assertThat(session.closeCode()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        assertThat(session.closeReason()).isEqualTo("token expired");
    }

    @Test
    void aPongKeepsTheConnectionAlive() {
        session.activeAt(now);
        for (int i = 0; i < 10; i++) {
            advance(Duration.ofSeconds(30));
            heartbeat.tick();
            session.activeAt(now); // the peer answered the ping
        }
        assertThat(session.isOpen()).isTrue();
        assertThat(session.pings()).isEqualTo(10);
    }
}
