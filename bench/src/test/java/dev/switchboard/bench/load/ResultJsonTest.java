package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultJsonTest {

    @Test
    void resultSurvivesARoundTripIncludingMissingValues(@TempDir Path dir) throws Exception {
        ScenarioResult written = new ScenarioResult.Builder("targeted-1dev")
                .param("users", 10_000).param("protocol", "plain")
                .metric("delivered_per_s", 123_456.789).metric("errors", 0).metric("server_cpu_pct", Double.NaN)
                .build("relay");
        Path file = dir.resolve("runs/targeted-1dev--relay.json");

        ResultJson.write(written, file);
        ScenarioResult read = ResultJson.read(file);

        assertThat(read.scenario()).isEqualTo("targeted-1dev");
        assertThat(read.server()).isEqualTo("relay");
        assertThat(read.params()).containsEntry("users", "10000").containsEntry("protocol", "plain");
        assertThat(read.metric("delivered_per_s")).isEqualTo(123_456.789);
        assertThat(read.metric("errors")).isZero();
        assertThat(read.metric("server_cpu_pct")).isNaN();
        assertThat(read.metric("not_there")).isNaN();
    }
}
