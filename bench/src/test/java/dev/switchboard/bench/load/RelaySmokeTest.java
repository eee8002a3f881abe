package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.client.PlainWire;
import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.relay.RelayServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay baseline routes to every device of a user, and the open-loop scenario measures it. */
class RelaySmokeTest {

    @Test
    @Timeout(60)
    void relayDeliversToEveryDeviceOfTheTargetedUser() throws Exception {
        try (RelayServer relay = RelayServer.start("127.0.0.1", 0, 1)) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            ScenarioResult r = TargetedScenario.run(ServerTarget.loopback(relay.port(), PlainWire.INSTANCE),
                    ClientSettings.defaults(),
                    new TargetedScenario.Options(20, 3, 2, 4, 32, Duration.ZERO, Duration.ofSeconds(1)),
                    new PrintStream(log, true, StandardCharsets.UTF_8));

            String output = log.toString(StandardCharsets.UTF_8);
            assertThat(r.metric("receivers_connected")).as(output).isEqualTo(60);
            // Every send reaches the user's 3 connections, and each ack says so.
            assertThat(r.metric("acked_deliveries_per_s")).as(output)
                    .isCloseTo(3 * r.metric("acked_per_s"), org.assertj.core.data.Percentage.withPercentage(1));
            assertThat(r.metric("undelivered")).as(output).isZero();
            assertThat(r.metric("errors")).as(output).isZero();
        }
    }

    @Test
    @Timeout(60)
    void latencyScenarioSendsAtTheRequestedRate() throws Exception {
        try (RelayServer relay = RelayServer.start("127.0.0.1", 0, 1)) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            ScenarioResult r = LatencyScenario.run(ServerTarget.loopback(relay.port(), PlainWire.INSTANCE),
                    ClientSettings.defaults(),
                    new LatencyScenario.Options(20, 1, 2, 500, 64, Duration.ZERO, Duration.ofSeconds(1)),
                    new PrintStream(log, true, StandardCharsets.UTF_8));

            String output = log.toString(StandardCharsets.UTF_8);
            assertThat(r.metric("sent_per_s")).as(output).isBetween(400.0, 600.0);
            assertThat(r.metric("latency_count")).as(output).isGreaterThan(300);
            assertThat(r.metric("skipped")).as(output).isZero();
        }
    }
}
