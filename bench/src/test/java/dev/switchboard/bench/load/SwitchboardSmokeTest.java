package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.client.PlainWire;
import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code targeted} scenario for two seconds against a real Switchboard server in this JVM. */
class SwitchboardSmokeTest {

    @Test
    @Timeout(60)
    void targetedScenarioDeliversAcknowledgesAndMeasuresAgainstSwitchboard() throws Exception {
        // As bench/compare runs it: the per-connection rate limit off, or it would be what is measured.
        ServerConfig config = ServerConfig.defaults().toBuilder().maxMessagesPerSecond(0).build()
                .withPort(0).withHost("127.0.0.1");
        try (SwitchboardServer server = SwitchboardServer.start(config)) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            ScenarioResult r = TargetedScenario.run(ServerTarget.loopback(server.port(), PlainWire.INSTANCE),
                    ClientSettings.defaults(),
                    new TargetedScenario.Options(50, 1, 2, 8, 64, Duration.ofMillis(500), Duration.ofSeconds(2)),
                    new PrintStream(log, true, StandardCharsets.UTF_8));

            String output = log.toString(StandardCharsets.UTF_8);
            assertThat(r.metric("receivers_connected")).as(output).isEqualTo(50);
            assertThat(r.metric("delivered_per_s")).as(output).isGreaterThan(100);
            assertThat(r.metric("acked_per_s")).as(output).isGreaterThan(100);
            assertThat(r.metric("latency_count")).as(output).isGreaterThan(0);
            assertThat(r.metric("latency_p50_ms")).as(output).isGreaterThan(0);
            assertThat(r.metric("errors")).as(output).isZero();
            assertThat(r.metric("undelivered")).as(output).isZero();
            assertThat(r.metric("connections_lost")).as(output).isZero();
            assertThat(output).contains("measure", "delivery latency p50");
        }
    }
}
