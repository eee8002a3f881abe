package dev.switchboard.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.load.ScenarioResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterReportTest {

    private static ClusterReport.Run run(int round, String scenario, String setup, Map<String, Double> metrics) {
        return new ClusterReport.Run(round, new ScenarioResult(scenario, setup, Map.of(), metrics));
    }

    @Test
    void judgesEachGoalAgainstTheInMemoryNode() {
        ClusterReport report = new ClusterReport(List.of(
                run(1, "targeted", "memory", Map.of("acked_per_s", 100_000.0)),
                run(1, "targeted", "redis-2", Map.of("acked_per_s", 60_000.0)),
                run(1, "latency", "memory", Map.of("latency_p99_ms", 4.0)),
                run(1, "latency", "redis-2", Map.of("latency_p99_ms", 9.0))));

        String md = report.render("Redis 7", 3, 10, "cmd");

        assertThat(md).contains("| 60 % (60,000 / 100,000) | **yes** |")
                .contains("| 2.25 × (9.00 ms / 4.00 ms) | **no** |");
    }

    @Test
    void everySetUpIsJudgedAndTheMediansAreOverTheRounds() {
        ClusterReport report = new ClusterReport(List.of(
                run(1, "targeted", "memory", Map.of("acked_per_s", 100_000.0)),
                run(2, "targeted", "memory", Map.of("acked_per_s", 100_000.0)),
                run(3, "targeted", "memory", Map.of("acked_per_s", 100_000.0)),
                run(1, "targeted", "shards-2", Map.of("acked_per_s", 40_000.0, "redis_commands_per_msg", 7.0)),
                run(2, "targeted", "shards-2", Map.of("acked_per_s", 55_000.0, "redis_commands_per_msg", 9.0)),
                run(3, "targeted", "shards-2", Map.of("acked_per_s", 52_000.0, "redis_commands_per_msg", 8.0))));

        String md = report.render("Redis 7", 3, 10, "cmd");

        assertThat(md).contains("| shards-2 | 40 % (40,000 / 100,000) | 55 % (55,000 / 100,000) | 52 % (52,000 / 100,000)"
                        + " | 2 of 3 rounds |")
                .contains("| targeted | shards-2 | 52,000 | – | 8.00 |")
                .contains("**shards-2**: two nodes on three Redis servers as client-side shards");
    }

    @Test
    void redisCpuPerMessageComesFromEveryServersInfo() {
        ScenarioResult r = new ScenarioResult("targeted", "shards-2", Map.of(), Map.of("acked_per_s", 50_000.0,
                "redis_cpu_pct", 60.0, "cpu_pct_redis", 20.0));

        assertThat(ClusterReport.redisMicrosPerMessage(r)).isEqualTo(12.0);
    }

    @Test
    void cpuPerMessageAddsBothNodesAndRedis() {
        ScenarioResult r = new ScenarioResult("targeted", "redis-2", Map.of(), Map.of("acked_per_s", 20_000.0,
                "server_cpu_pct", 50.0, "cpu_pct_node1", 50.0, "cpu_pct_redis", 20.0));

        assertThat(ClusterReport.cpuMicrosPerMessage(r)).isEqualTo(60.0);
    }
}
