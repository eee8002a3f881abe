package dev.switchboard.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reading of a Redis's {@code INFO all}: its counters as text, and the few figures a cluster
 * run needs. Read over a plain socket (RESP is simple enough), so the bench needs no Redis client.
 */
record RedisInfo(Map<String, String> fields) {

    private static final int TIMEOUT_MILLIS = 2_000;

    /** Parses INFO's text: {@code key:value} lines; {@code #} section headers and blanks skipped. */
    static RedisInfo parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (line.isBlank() || line.startsWith("#") || colon < 0) {
                continue;
            }
            fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return new RedisInfo(fields);
    }

    /** Asks the Redis at {@code address}; blocks up to two seconds per step. */
    static RedisInfo read(HostPort address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write("INFO all\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parse(readBulk(socket.getInputStream()));
        }
    }

    /** Reads one RESP bulk string ({@code $<length>\r\n<bytes>\r\n}). */
    static String readBulk(InputStream in) throws IOException {
        String header = readLine(in);
        if (!header.startsWith("$")) {
            throw new IOException("Redis answered " + header);
        }
        byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** Commands processed so far, those run inside scripts included. */
    long totalCommands() {
        return Long.parseLong(fields.getOrDefault("total_commands_processed", "0"));
    }

    /** CPU seconds the Redis process used so far (user + system, main and background threads). */
    double cpuSeconds() {
        return Double.parseDouble(fields.getOrDefault("used_cpu_user", "0"))
                + Double.parseDouble(fields.getOrDefault("used_cpu_sys", "0"));
    }

    /**
     * The sum of several Redis servers' readings (shards, or a Redis Cluster's masters): the
     * counters this class reads, added up.
     */
    static RedisInfo sum(java.util.List<RedisInfo> readings) {
        if (readings.size() == 1) {
            return readings.get(0);
        }
        long commands = 0;
        double user = 0;
        Map<String, Long> calls = new java.util.TreeMap<>();
        Map<String, Long> usec = new java.util.TreeMap<>();
        for (RedisInfo r : readings) {
            commands += r.totalCommands();
            user += r.cpuSeconds();
            r.calls().forEach((command, n) -> calls.merge(command, n, Long::sum));
            r.usec().forEach((command, n) -> usec.merge(command, n, Long::sum));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("total_commands_processed", Long.toString(commands));
        fields.put("used_cpu_user", Double.toString(user));
        calls.forEach((command, n) -> fields.put("cmdstat_" + command, "calls=" + n + ",usec=" + usec.getOrDefault(command, 0L)));
        return new RedisInfo(fields);
    }

    /**
     * Microseconds Redis spent in each command ({@code cmdstat_<name>:...,usec=N,...}), by command name;
     * a script's include those of the commands it ran.
     */
    Map<String, Long> usec() {
        Map<String, Long> usec = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            int at = value.indexOf("usec=");
            if (key.startsWith("cmdstat_") && at >= 0) {
                int comma = value.indexOf(',', at);
                usec.put(key.substring("cmdstat_".length()),
                        Long.parseLong(value.substring(at + "usec=".length(), comma < 0 ? value.length() : comma)));
            }
        });
        return usec;
    }

    /** Calls per command ({@code cmdstat_<name>:calls=N,...}), by command name. */
    Map<String, Long> calls() {
        Map<String, Long> calls = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            if (key.startsWith("cmdstat_") && value.startsWith("calls=")) {
                int comma = value.indexOf(',');
                calls.put(key.substring("cmdstat_".length()),
                        Long.parseLong(value.substring("calls=".length(), comma < 0 ? value.length() : comma)));
            }
        });
        return calls;
    }
}
