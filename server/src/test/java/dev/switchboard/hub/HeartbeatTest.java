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
    void withAMaxConnectionAgeEachConnectionIsClosedWith1012BetweenNinetyAndAHundredPercentOfIt() {
        List<FakeSession> sessions = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            FakeSession s = new FakeSession("node-" + i, "u" + i);
            s.openedAt(now);
            sessions.add(s);
        }
        Heartbeat aging = new Heartbeat(clock, Duration.ofSeconds(25), Duration.ofHours(1), Duration.ofMinutes(10),
                sessions::forEach);
        List<Long> closedAt = new java.util.ArrayList<>();
        for (int second = 1; second <= 600; second++) {
            advance(Duration.ofSeconds(1));
            sessions.forEach(s -> s.activeAt(now)); // busy connections: age, not silence, closes them
            aging.tick();
            long closed = sessions.stream().filter(s -> !s.isOpen()).count();
            while (closedAt.size() < closed) {
                closedAt.add((long) second);
            }
        }
        assertThat(closedAt).as("every connection closed by the end of its age").hasSize(200);
        assertThat(closedAt.get(0)).as("none before 90%").isGreaterThanOrEqualTo(540);
        assertThat(closedAt.get(199)).isLessThanOrEqualTo(600);
        assertThat(closedAt.stream().distinct().count()).as("spread out, not all at once").isGreaterThan(30);
        assertThat(sessions).allSatisfy(s -> {
            assertThat(s.closeCode()).isEqualTo(CloseCodes.SERVICE_RESTART);
            assertThat(s.closeReason()).isEqualTo(Heartbeat.AGE_LIMIT_REASON);
        });

        // Off by default: a month-old busy connection stays.
        FakeSession old = new FakeSession("old", "o");
        old.openedAt(now - Duration.ofDays(30).toNanos());
        old.activeAt(now);
        new Heartbeat(clock, Duration.ofSeconds(25), Duration.ofHours(1), visitor -> visitor.accept(old)).tick();
        assertThat(old.isOpen()).isTrue();
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
