package dev.switchboard.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/** The one way tests wait for something asynchronous: short polls, a bounded wait, never a sleep. */
public final class Eventually {
    /** How long anything that should happen "at once" on a loopback connection may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Eventually() {
    }

    /** Awaitility, polling every 5 ms for at most {@link #TIMEOUT}. */
    public static ConditionFactory eventually() {
        return within(TIMEOUT);
    }

    /** Awaitility, polling every 5 ms for at most {@code timeout}. */
    public static ConditionFactory within(Duration timeout) {
        return Awaitility.await()
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5));
    }
}
