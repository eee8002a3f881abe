package dev.switchboard.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Percentiles of one latency histogram (recorded in microseconds), reported in milliseconds. */
public record LatencySummary(long count, double p50, double p90, double p99, double p999, double max, double mean) {

    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencySummary(micros.getTotalCount(),
                ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)),
                ms(micros.getMaxValue()), micros.getMean() / 1000.0);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** Metrics named {@code prefix_p50_ms} … for a {@link ScenarioResult}. */
    public Map<String, Double> asMetrics(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "_p50_ms", p50);
        m.put(prefix + "_p90_ms", p90);
        m.put(prefix + "_p99_ms", p99);
        m.put(prefix + "_p999_ms", p999);
        m.put(prefix + "_max_ms", max);
        m.put(prefix + "_mean_ms", mean);
        m.put(prefix + "_count", (double) count);
        return m;
    }

    public String line() {
        return String.format("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (n=%,d)",
                fmt(p50), fmt(p90), fmt(p99), fmt(p999), fmt(max), count);
    }

    static String fmt(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return ms < 10 ? String.format("%.2fms", ms) : String.format("%.0fms", ms);
    }
}
