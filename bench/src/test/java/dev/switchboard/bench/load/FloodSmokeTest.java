package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.client.PlainWire;
import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code flood} scenario for a few seconds against a real Switchboard server in this JVM (so
 * the sampled process is this one): memory sampled, the history's bytes read from /metrics and
 * held within a small budget, the watcher served, the chart and CSV written.
 */
class FloodSmokeTest {

    @Test
    @Timeout(60)
    void floodSamplesMemoryAndHistoryAndServesTheWatcher(@TempDir Path dir) throws Exception {
        long budget = 256 * 1024;
        ServerConfig config = ServerConfig.defaults().toBuilder().historyMaxBytes(budget).build()
                .withPort(0).withHost("127.0.0.1");
        try (SwitchboardServer server = SwitchboardServer.start(config)) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Path chart = dir.resolve("flood.png");
            Path csv = dir.resolve("flood.csv");
            ScenarioResult r = FloodScenario.run(ServerTarget.loopback(server.port(), PlainWire.INSTANCE),
                    ClientSettings.defaults(),
                    new FloodScenario.Options(2, 4_000, 50, 0, Duration.ofSeconds(3), 20, chart, csv),
                    new PrintStream(log, true, StandardCharsets.UTF_8));

            String output = log.toString(StandardCharsets.UTF_8);
            assertThat(r.metric("flood_acked")).as(output).isGreaterThan(200);
            assertThat(r.metric("flood_errors")).as(output).isZero();
            assertThat(r.metric("watcher_delivered")).as(output).isGreaterThan(30);
            assertThat(r.metric("watcher_latency_p99_ms")).as(output).isPositive();
            assertThat(r.metric("rss_max_mb")).as(output).isPositive();
            assertThat(r.metric("heap_max_mb")).as(output).isPositive();
            assertThat(r.metric("history_max_mb")).as("history within its budget: " + output)
                    .isPositive().isLessThanOrEqualTo(budget / 1048576.0);
            assertThat(Files.size(chart)).isPositive();
            List<String> rows = Files.readAllLines(csv);
            assertThat(rows.get(0)).isEqualTo("seconds,rss_bytes,heap_used_bytes,history_bytes");
            assertThat(rows).as("one sample a second over 3 s of baseline and 3 of flood").hasSizeGreaterThan(5);
        }
    }
}
