package dev.switchboard.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and writes {@link ScenarioResult} as a small JSON document (NaN is written as null). */
public final class ResultJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ResultJson() {
    }

    public static void write(ScenarioResult result, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             JsonGenerator g = JSON.createGenerator(writer).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeStringField("scenario", result.scenario());
            g.writeStringField("server", result.server());
            g.writeObjectFieldStart("params");
            for (Map.Entry<String, String> e : result.params().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("metrics");
            for (Map.Entry<String, Double> e : result.metrics().entrySet()) {
                g.writeFieldName(e.getKey());
                double v = e.getValue();
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    g.writeNull();
                } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    g.writeNumber((long) v);
                } else {
                    g.writeNumber(Math.round(v * 1000) / 1000.0);
                }
            }
            g.writeEndObject();
            g.writeEndObject();
            writer.write('\n');
        }
    }

    public static ScenarioResult read(Path file) throws IOException {
        String scenario = null;
        String server = null;
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            expect(p.nextToken(), JsonToken.START_OBJECT, file);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "scenario" -> scenario = p.getText();
                    case "server" -> server = p.getText();
                    case "params" -> readObject(p, file, (k, v) -> params.put(k, v.getText()));
                    case "metrics" -> readObject(p, file, (k, v) -> metrics.put(k,
                            v.currentToken() == JsonToken.VALUE_NULL ? Double.NaN : v.getDoubleValue()));
                    default -> {
                        if (value.isStructStart()) {
                            p.skipChildren();
                        }
                    }
                }
            }
        }
        if (scenario == null || server == null) {
            throw new IOException(file + ": not a scenario result (scenario and server are required)");
        }
        return new ScenarioResult(scenario, server, params, metrics);
    }

    private interface FieldReader {
        void read(String name, JsonParser valueAt) throws IOException;
    }

    private static void readObject(JsonParser p, Path file, FieldReader reader) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, file);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value.isStructStart()) {
                p.skipChildren();
            } else {
                reader.read(name, p);
            }
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, Path file) throws IOException {
        if (actual != expected) {
            throw new IOException(file + ": expected " + expected + " but found " + actual);
        }
    }
}
