package dev.switchboard.node;

import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FailureLogTest {
    private final ManualClock clock = new ManualClock();
    private final FailureLog failures = new FailureLog(LoggerFactory.getLogger("failure-log-test"),
            "sends could not be published", clock, TimeUnit.SECONDS.toNanos(10));

    @Test
    void aFloodOfFailuresIsOneWarningPerIntervalWithTheCountOfTheRest() {
        try (LogCapture log = LogCapture.everything()) {
            for (int i = 0; i < 500; i++) {
                failures.failed(new CompletionException(new IOException("timed out")));
            }
            clock.advance(Duration.ofSeconds(10));
            failures.failed(new IOException("timed out"));

            assertThat(log.eventsContaining("WARN")).map(line -> line.replaceFirst(" args=.*", "")).containsExactly(
                    "WARN failure-log-test - sends could not be published: java.io.IOException: timed out",
                    "WARN failure-log-test - sends could not be published: java.io.IOException: timed out"
                            + " (and 499 more since the last report)");
        }
    }
}
