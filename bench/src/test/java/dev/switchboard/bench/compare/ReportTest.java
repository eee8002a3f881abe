package dev.switchboard.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.load.ScenarioResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report is built from whatever JSON summaries are saved, with tables and PNG charts. */
class ReportTest {

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void reportHasATableRowPerServerTheFanOutRatioAndCharts(@TempDir Path results) throws Exception {
        ResultStore store = new ResultStore(results);
        store.save(targeted(ComparePlan.TARGETED_1, "switchboard", 100_000, 100_000));
        store.save(targeted(ComparePlan.TARGETED_4, "switchboard", 30_000, 120_000));
        store.save(targeted(ComparePlan.TARGETED_1, "seed", 10_000, 10_000));
        store.save(new ScenarioResult.Builder(ComparePlan.LATENCY)
                .metric("latency_p50_ms", 0.1).metric("latency_p90_ms", 0.2).metric("latency_p99_ms", 1.5)
                .metric("latency_p999_ms", 4).metric("latency_max_ms", 9).metric("background_cpu_pct", 40)
                .build("relay"));

        Comparison comparison = new Comparison(results, results, Duration.ZERO,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Path report = comparison.report();

        String md = Files.readString(report);
        assertThat(md).contains("| switchboard | 100,000 |", "| seed | 10,000 |");
        assertThat(md).contains("| switchboard | 100,000 | 30,000 | 100,000 | 120,000 | 1.20x |");
        assertThat(md).contains("| relay |", "1.50 ms");
        assertThat(md).contains("**Warning:**", "latency on relay (other work: 40% before");
        assertThat(md).contains("![throughput](throughput.png)", "![latency-open-loop](latency-open-loop.png)");
        assertThat(results.resolve("throughput.png")).isNotEmptyFile();
        assertThat(results.resolve("latency-open-loop.png")).isNotEmptyFile();
        assertThat(results.resolve("idle-memory.png")).doesNotExist();
    }

    private static ScenarioResult targeted(String scenario, String server, double sent, double delivered) {
        return new ScenarioResult.Builder(scenario)
                .metric("sent_per_s", sent).metric("delivered_per_s", delivered)
                .metric("latency_p50_ms", 2).metric("latency_p99_ms", 9).metric("measured_s", 15)
                .build(server);
    }
}
