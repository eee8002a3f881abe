package dev.switchboard.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A switchboard.v1-over-SSE client for tests, written from the SSE format (not from the server's
 * code): {@code GET /sse} read line by line on a thread of its own, events parsed into {@link Event}s,
 * comments counted; requests POSTed to {@code /sse/{connectionId}}.
 */
public final class SseClient implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One event: its {@code id:} ({@code null} if none) and its data, a v1 frame. */
    public record Event(String id, V1Frame data) {
        public String type() {
            return data.type();
        }
    }

    private final int port;
    private final String query;
    private final HttpResponse<InputStream> response;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile int comments;
    private volatile boolean ended;
    private final Thread reader;

    private SseClient(int port, String query, HttpResponse<InputStream> response) {
        this.port = port;
        this.query = query;
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        } else {
            ended = true;
        }
    }

    /** Opens {@code GET /sse?<query>} with {@code headers}; a refusal is a client whose {@link #status} says so. */
    public static SseClient open(int port, String query, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sse?" + query))
                .timeout(Eventually.TIMEOUT).GET();
        headers.forEach(request::header);
        try {
            // The timeout bounds the wait for the response head; the body then streams for as long as it lasts.
            return new SseClient(port, query, CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static SseClient open(int port, String query) {
        return open(port, query, Map.of());
    }

    public int status() {
        return response.statusCode();
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    /** The refusal's JSON body. */
    public V1Frame error() throws IOException {
        try (InputStream in = response.body()) {
            return V1Frame.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    public List<Event> events() {
        return new ArrayList<>(events);
    }

    public List<Event> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    public int comments() {
        return comments;
    }

    /** Whether the server ended the response. */
    public boolean ended() {
        return ended;
    }

    /** The welcome, once it came. */
    public V1Frame welcome() {
        Eventually.eventually().alias("the welcome").until(() -> !events.isEmpty());
        return events.get(0).data();
    }

    /** POSTs {@code body} to this stream's connection with this stream's query; the response as it came. */
    public HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(welcome().text("connectionId"), query, body);
    }

    /** POSTs {@code body} to {@code /sse/<connectionId>?<query>}. */
    public HttpResponse<String> post(String connectionId, String query, String body)
            throws IOException, InterruptedException {
        return Http.request(port, "POST", "/sse/" + connectionId + "?" + query, Map.of(), body);
    }

    /** The JSON of a response body. */
    public static V1Frame json(HttpResponse<String> response) {
        return V1Frame.parse(response.body());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, V1Frame.parse(data.toString())));
                    }
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments++;
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        } catch (IOException e) {
            // closed by close(), or the connection was cut
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing anyway
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
    }
}
