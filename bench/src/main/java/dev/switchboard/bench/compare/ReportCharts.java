package dev.switchboard.bench.compare;

import dev.switchboard.bench.load.ScenarioResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/** The report's PNG charts, drawn with XChart from the saved results. Returns the files it wrote. */
final class ReportCharts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9", "max");
    private static final List<String> PERCENTILE_KEYS = List.of("p50", "p90", "p99", "p999", "max");

    private final List<ScenarioResult> results;
    private final List<String> servers;
    private final Path dir;

    ReportCharts(List<ScenarioResult> results, List<String> servers, Path dir) {
        this.results = results;
        this.servers = servers;
        this.dir = dir;
    }

    List<String> drawAll() throws IOException {
        List<String> written = new ArrayList<>();
        draw(written, "throughput.png", throughput());
        draw(written, "latency-open-loop.png", percentiles(ComparePlan.LATENCY,
                "Delivery latency at 5,000 msg/s, open loop (ms, log scale)"));
        draw(written, "latency-targeted.png", percentiles(ComparePlan.TARGETED_1,
                "Delivery latency at full load, 10,000 users x 1 device (ms, log scale)"));
        draw(written, "idle-memory.png", perServer(ComparePlan.IDLE, "Server memory per idle connection (KiB)",
                new String[] {"RSS per connection", "heap per connection"},
                new String[] {"rss_per_conn_bytes", "heap_per_conn_bytes"}, 1.0 / 1024));
        draw(written, "connect.png", perServer(ComparePlan.CONNECT, "WebSocket handshakes per second",
                new String[] {"handshakes/s"}, new String[] {"handshakes_per_s"}, 1));
        return written;
    }

    private void draw(List<String> written, String file, Optional<CategoryChart> chart) throws IOException {
        if (chart.isPresent()) {
            BitmapEncoder.saveBitmap(chart.get(), dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
            written.add(file);
        }
    }

    private Optional<CategoryChart> throughput() {
        List<String> present = servers.stream()
                .filter(s -> ResultStore.find(results, ComparePlan.TARGETED_1, s).isPresent()
                        || ResultStore.find(results, ComparePlan.TARGETED_4, s).isPresent())
                .toList();
        if (present.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart("Deliveries per second, closed loop (20 senders x window 16)", "server", "deliveries/s");
        chart.addSeries("10,000 users x 1 device", present, values(ComparePlan.TARGETED_1, present, "delivered_per_s", 1));
        chart.addSeries("2,500 users x 4 devices", present, values(ComparePlan.TARGETED_4, present, "delivered_per_s", 1));
        return Optional.of(chart);
    }

    /** One bar group per server; one bar per metric. */
    private Optional<CategoryChart> perServer(String scenario, String title, String[] series, String[] metrics, double scale) {
        List<String> present = serversWith(scenario);
        if (present.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart(title, "server", "");
        for (int i = 0; i < series.length; i++) {
            chart.addSeries(series[i], present, values(scenario, present, metrics[i], scale));
        }
        return Optional.of(chart);
    }

    /** One bar group per percentile; one bar per server. */
    private Optional<CategoryChart> percentiles(String scenario, String title) {
        List<String> present = serversWith(scenario);
        if (present.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart(title, "percentile", "ms");
        // Lines, not bars: bars grow from zero, which a log axis cannot show.
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (String server : present) {
            ScenarioResult r = ResultStore.find(results, scenario, server).orElseThrow();
            List<Number> ms = new ArrayList<>();
            for (String key : PERCENTILE_KEYS) {
                // A log axis cannot show 0: floor at a microsecond.
                ms.add(Math.max(0.001, orZero(r.metric("latency_" + key + "_ms"))));
            }
            chart.addSeries(server, PERCENTILES, ms);
        }
        return Optional.of(chart);
    }

    private CategoryChart chart(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        chart.getStyler().setOverlapped(false);
        return chart;
    }

    private List<String> serversWith(String scenario) {
        return servers.stream().filter(s -> ResultStore.find(results, scenario, s).isPresent()).toList();
    }

    private List<Number> values(String scenario, List<String> present, String metric, double scale) {
        List<Number> values = new ArrayList<>();
        for (String server : present) {
            double v = ResultStore.find(results, scenario, server).map(r -> r.metric(metric)).orElse(Double.NaN);
            values.add(orZero(v) * scale);
        }
        return values;
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
