package dev.switchboard.api;

import dev.switchboard.node.Node;
import dev.switchboard.transport.HttpResponses;
import dev.switchboard.transport.HttpService;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The HTTP side of the WebSocket port: {@code GET /health}, {@code GET /metrics} (Prometheus text),
 * a short page at {@code /} for a browser, the JavaScript client at {@code /switchboard.js}, the
 * {@link ServerApi} under {@code /api/}, and a JSON 404 for anything else. Thread-safe.
 */
public final class BasicHttpService implements HttpService {
    private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JAVASCRIPT_TYPE = "text/javascript; charset=utf-8";

    private final Node node;
    private final ServerApi api;
    private final Supplier<String> prometheus;
    private final Instant started;
    private final byte[] landingPage;
    private final byte[] client;
    private final String clientTag;

    /**
     * @param prometheus renders the metrics in Prometheus text format
     */
    public BasicHttpService(Node node, ServerApi api, Supplier<String> prometheus, Instant started) {
        this.node = node;
        this.api = api;
        this.prometheus = prometheus;
        this.started = started;
        this.landingPage = resource("/static/index.html");
        this.client = resource("/static/switchboard.js");
        this.clientTag = entityTag(client);
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).rawPath();
        if (path.equals("/api") || path.startsWith("/api/")) {
            return api.handle(request);
        }
        return CompletableFuture.completedFuture(route(request));
    }

    private FullHttpResponse route(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        boolean get = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
        switch (path) {
            case "/health":
                return get ? health() : methodNotAllowed();
            case "/metrics":
                return get ? HttpResponses.of(HttpResponseStatus.OK, PROMETHEUS_TYPE,
                        prometheus.get().getBytes(java.nio.charset.StandardCharsets.UTF_8)) : methodNotAllowed();
            case "/switchboard.js":
                return get ? javascriptClient(request) : methodNotAllowed();
            case "/":
            case "/ws":
                if (!get) {
                    return methodNotAllowed();
                }
                if ("/".equals(path) && acceptsHtml(request)) {
                    return HttpResponses.of(HttpResponseStatus.OK, "text/html; charset=utf-8", landingPage);
                }
                return HttpResponses.error(HttpResponseStatus.UPGRADE_REQUIRED, "upgrade_required",
                        "this is a WebSocket endpoint: connect with ws://HOST:PORT/?userId=ID");
            default:
                return HttpResponses.error(HttpResponseStatus.NOT_FOUND, "not_found", "no such path: " + path);
        }
    }

    /** 200 {@code "up"} when the node can carry messages; 503 {@code "unavailable"} while its broker is not ready. */
    private FullHttpResponse health() {
        long uptime = Duration.between(started, Instant.now()).toSeconds();
        boolean ready = node.ready();
        return HttpResponses.json(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                "{\"status\":\"" + (ready ? "up" : "unavailable") + "\",\"node\":\"" + node.id()
                + "\",\"broker\":\"" + (ready ? "ready" : "not ready") + "\",\"connections\":"
                + node.connectionCount() + ",\"users\":" + node.registry().users()
                + ",\"uptimeSeconds\":" + uptime + "}");
    }

    /**
     * The URL has no version, so a cache must revalidate every time ({@code no-cache}); the ETag
     * makes that a 304 while the file is unchanged. Any origin may load it: the file is public and
     * an ES module imported from another origin needs CORS.
     */
    private FullHttpResponse javascriptClient(FullHttpRequest request) {
        FullHttpResponse response = matches(request.headers().get(HttpHeaderNames.IF_NONE_MATCH), clientTag)
                ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED)
                : HttpResponses.of(HttpResponseStatus.OK, JAVASCRIPT_TYPE, client);
        response.headers()
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.ETAG, clientTag)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        return response;
    }

    /** Whether an {@code If-None-Match} value names {@code tag} (weak comparison, as RFC 9110 asks). */
    private static boolean matches(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String value = candidate.trim();
            if (value.equals("*") || (value.startsWith("W/") ? value.substring(2) : value).equals(tag)) {
                return true;
            }
        }
        return false;
    }

    private static String entityTag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FullHttpResponse methodNotAllowed() {
        FullHttpResponse response = HttpResponses.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                "method_not_allowed", "method not allowed");
        response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        return response;
    }

    private static boolean acceptsHtml(FullHttpRequest request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.contains("text/html");
    }

    private static byte[] resource(String name) {
        try (InputStream in = BasicHttpService.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
