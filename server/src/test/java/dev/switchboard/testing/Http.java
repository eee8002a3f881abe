package dev.switchboard.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Plain HTTP requests to a test server's port (health, metrics, pages, the server API). */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Eventually.TIMEOUT)
            .build();

    private Http() {
    }

    /** {@code GET http://127.0.0.1:port<path>} with the given headers. */
    public static HttpResponse<String> get(int port, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Eventually.TIMEOUT)
                .GET();
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return get(port, path, Map.of());
    }

    /**
     * Any request to {@code http://127.0.0.1:port<path>}; {@code path} goes on the wire as it is
     * (percent-encode it yourself).
     *
     * @param body the UTF-8 body, or {@code null} for none
     */
    public static HttpResponse<String> request(int port, String method, String path, Map<String, String> headers,
                                               String body) throws IOException, InterruptedException {
        return request(CLIENT, URI.create("http://127.0.0.1:" + port + path), method, headers, body);
    }

    /** Any request with any client (a TLS one, say). */
    public static HttpResponse<String> request(HttpClient client, URI uri, String method, Map<String, String> headers,
                                               String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Eventually.TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A scrape of {@code /metrics}, which must answer 200. */
    public static PrometheusText metrics(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, "/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return PrometheusText.parse(response.body());
    }
}
