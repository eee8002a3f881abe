package dev.switchboard.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A scrape of the Prometheus text format, read into {@code series -> value}, where a series is the
 * metric name with its labels exactly as exposed, e.g. {@code switchboard_errors_total{code="invalid_json"}}.
 */
public final class PrometheusText {
    private final Map<String, Double> samples;
    private final String text;

    private PrometheusText(Map<String, Double> samples, String text) {
        this.samples = samples;
        this.text = text;
    }

    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int split = line.lastIndexOf(' ');
            if (split <= 0) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            String series = line.substring(0, split).trim();
            samples.put(series, Double.parseDouble(line.substring(split + 1).trim()));
        }
        return new PrometheusText(samples, text);
    }

    /** The value of {@code series}, which must be exposed. */
    public double value(String series) {
        Double value = samples.get(series);
        if (value == null) {
            throw new AssertionError("series " + series + " is not exposed; exposed switchboard series: "
                    + samples.keySet().stream().filter(s -> s.startsWith("switchboard")).toList());
        }
        return value;
    }

    public OptionalDouble find(String series) {
        Double value = samples.get(series);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Every series whose name (before any label) is {@code name}. */
    public Map<String, Double> series(String name) {
        Map<String, Double> found = new LinkedHashMap<>();
        samples.forEach((series, value) -> {
            int brace = series.indexOf('{');
            if ((brace < 0 ? series : series.substring(0, brace)).equals(name)) {
                found.put(series, value);
            }
        });
        return found;
    }

    /** The raw text. */
    public String text() {
        return text;
    }
}
