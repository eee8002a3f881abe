package dev.switchboard.api;

import dev.switchboard.node.Node;
import dev.switchboard.transport.http.HttpResponses;
import dev.switchboard.transport.http.HttpService;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The HTTP side of the WebSocket port: {@code GET /health}, {@code GET /metrics} (Prometheus text),
 * the pages and scripts in {@link StaticFiles} (the landing page at {@code /} for a browser, the
 * JavaScript client at {@code /switchboard.js}, the live-transcript app and the dashboard), the
 * app's endpoints ({@link AppEndpoints}), the {@link ServerApi} under {@code /api/}, and a JSON 404
 * for anything else. Thread-safe.
 */
public final class BasicHttpService implements HttpService {
    private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Node node;
    private final ServerApi api;
    private final AppEndpoints app;
    private final Supplier<String> prometheus;
    private final Instant started;
    private final StaticFiles files = StaticFiles.server();

    /**
     * @param app the live-transcript app's endpoints, or {@code null} for none
     * @param prometheus renders the metrics in Prometheus text format
     */
    public BasicHttpService(Node node, ServerApi api, AppEndpoints app, Supplier<String> prometheus, Instant started) {
        this.node = node;
        this.api = api;
        this.app = app;
        this.prometheus = prometheus;
        this.started = started;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).rawPath();
        if (path.equals("/api") || path.startsWith("/api/")) {
            return api.handle(request);
        }
        FullHttpResponse response = route(request);
        if (response != null) {
            return CompletableFuture.completedFuture(response);
        }
        CompletableFuture<FullHttpResponse> answer = app == null ? null
                : app.handle(request, new QueryStringDecoder(request.uri()).path());
        return answer != null ? answer : CompletableFuture.completedFuture(HttpResponses.error(
                HttpResponseStatus.NOT_FOUND, "not_found", "no such path: " + new QueryStringDecoder(request.uri()).path()));
    }

    /** The built-in endpoints' response, or {@code null} when the path is not one of them. */
    private FullHttpResponse route(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        boolean get = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
        switch (path) {
            case "/health":
                return get ? health() : methodNotAllowed();
            case "/metrics":
                return get ? HttpResponses.of(HttpResponseStatus.OK, PROMETHEUS_TYPE,
                        prometheus.get().getBytes(java.nio.charset.StandardCharsets.UTF_8)) : methodNotAllowed();
            case "/":
            case "/ws":
                if (!get) {
                    return methodNotAllowed();
                }
                if ("/".equals(path) && acceptsHtml(request)) {
                    return files.serve(path, request);
                }
                return HttpResponses.error(HttpResponseStatus.UPGRADE_REQUIRED, "upgrade_required",
                        "this is a WebSocket endpoint: connect with ws://HOST:PORT/?userId=ID");
            default:
                if (files.has(path)) {
                    return get ? files.serve(path, request) : methodNotAllowed();
                }
                return null;
        }
    }

    /** 200 {@code "up"} when the node can carry messages; 503 {@code "unavailable"} while its broker is not ready. */
    private FullHttpResponse health() {
        long uptime = Duration.between(started, Instant.now()).toSeconds();
        boolean ready = node.ready();
        return HttpResponses.json(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                "{\"status\":\"" + (ready ? "up" : "unavailable") + "\",\"node\":\"" + node.id()
                + "\",\"broker\":\"" + (ready ? "ready" : "not ready") + "\",\"connections\":"
                + node.connectionCount() + ",\"users\":" + node.users()
                + ",\"uptimeSeconds\":" + uptime + "}");
    }

    private static FullHttpResponse methodNotAllowed() {
        return HttpResponses.methodNotAllowed("GET, HEAD");
    }

    private static boolean acceptsHtml(FullHttpRequest request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.contains("text/html");
    }
}
