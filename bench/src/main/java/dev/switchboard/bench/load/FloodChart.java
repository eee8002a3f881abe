package dev.switchboard.bench.load;

import dev.switchboard.bench.proc.MemorySampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The flood's memory over time: a PNG line chart and the samples as CSV. */
final class FloodChart {

    private FloodChart() {
    }

    static void write(List<MemorySampler.Sample> samples, FloodScenario.Options o, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title(String.format("Server memory under a flood: %d x %.0f msg/s of %,d bytes to %s users",
                        o.connections(), o.ratePerConnection(), o.messageBytes(),
                        o.repeatedUsers() == 0 ? "ever-new" : String.format("%,d", o.repeatedUsers())))
                .xAxisTitle("seconds").yAxisTitle("MB").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        series(chart, samples, "RSS", MemorySampler.Sample::rssBytes);
        series(chart, samples, "heap used", MemorySampler.Sample::heapUsedBytes);
        series(chart, samples, "history bytes", MemorySampler.Sample::historyBytes);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String name = png.toString().endsWith(".png") ? png.toString().substring(0, png.toString().length() - 4) : png.toString();
        BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
    }

    static void writeCsv(List<MemorySampler.Sample> samples, Path csv) throws IOException {
        StringBuilder b = new StringBuilder("seconds,rss_bytes,heap_used_bytes,history_bytes\n");
        for (MemorySampler.Sample s : samples) {
            b.append(String.format("%.1f,%d,%d,%d%n", s.seconds(), s.rssBytes(), s.heapUsedBytes(), s.historyBytes()));
        }
        Path parent = csv.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(csv, b);
    }

    /** A series only when the figure was measured at all (a non-JVM server has no heap line). */
    private static void series(XYChart chart, List<MemorySampler.Sample> samples, String name,
                               ToLongFunction<MemorySampler.Sample> value) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (MemorySampler.Sample s : samples) {
            long v = value.applyAsLong(s);
            if (v >= 0) {
                x.add(s.seconds());
                y.add(v / 1048576.0);
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        }
    }
}
