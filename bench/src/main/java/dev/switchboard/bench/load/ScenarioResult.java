package dev.switchboard.bench.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one scenario against one server: what was asked ({@code params}) and what was
 * measured ({@code metrics}, all numbers; NaN when not measurable). Written as one JSON file per
 * run, read back by the report.
 */
public record ScenarioResult(String scenario, String server, Map<String, String> params, Map<String, Double> metrics) {

    public ScenarioResult {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    public double metric(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }

    public ScenarioResult withServer(String label) {
        return new ScenarioResult(scenario, label, params, metrics);
    }

    public ScenarioResult withParam(String name, Object value) {
        Map<String, String> more = new LinkedHashMap<>(params);
        more.put(name, String.valueOf(value));
        return new ScenarioResult(scenario, server, more, metrics);
    }

    public ScenarioResult withMetric(String name, double value) {
        Map<String, Double> more = new LinkedHashMap<>(metrics);
        more.put(name, value);
        return new ScenarioResult(scenario, server, params, more);
    }

    public ScenarioResult withScenario(String name) {
        return new ScenarioResult(name, server, params, metrics);
    }

    /** Collects params and metrics in insertion order. */
    public static final class Builder {
        private final String scenario;
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, Double> metrics = new LinkedHashMap<>();

        public Builder(String scenario) {
            this.scenario = scenario;
        }

        public Builder param(String name, Object value) {
            params.put(name, String.valueOf(value));
            return this;
        }

        public Builder metric(String name, double value) {
            metrics.put(name, value);
            return this;
        }

        public Builder metrics(Map<String, Double> values) {
            metrics.putAll(values);
            return this;
        }

        public ScenarioResult build(String server) {
            return new ScenarioResult(scenario, server, params, metrics);
        }
    }
}
