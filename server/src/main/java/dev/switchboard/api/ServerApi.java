package dev.switchboard.api;

import dev.switchboard.transport.http.HttpException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.switchboard.core.BrokerUnavailableException;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.Message;
import dev.switchboard.core.IdempotencyKey;
import dev.switchboard.core.IdempotencyKeyReusedException;
import dev.switchboard.core.Publication;
import dev.switchboard.node.Node;
import dev.switchboard.transport.http.HttpResponses;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP server API for backends, under {@code /api/}, authenticated by an API key sent as
 * {@code Authorization: Bearer KEY}:
 * <ul>
 *   <li>{@code POST /api/users/{userId}/messages} {@code {"message": any}} → {@code {"userId","delivered"}}</li>
 *   <li>{@code GET /api/users/{userId}} → {@code {"userId","online","connections"}}</li>
 *   <li>{@code DELETE /api/users/{userId}/connections} → {@code {"userId","closed"}}; the connections
 *       are closed with {@link CloseCodes#DISCONNECTED}</li>
 * </ul>
 * Thread-safe; never blocks. Without a key the API is off and every {@code /api/} path is 404.
 */
public final class ServerApi {
    private final Node node;
    private final byte[] apiKey;

    /** @param apiKey the key, or {@code null} to turn the API off */
    public ServerApi(Node node, String apiKey) {
        this.node = node;
        this.apiKey = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
    }

    public boolean enabled() {
        return apiKey != null;
    }

    /** Answers a request whose path starts with {@code /api/}. */
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request) {
        try {
            if (apiKey == null) {
                throw new HttpException(HttpResponseStatus.NOT_FOUND, "not_found",
                        "the server API is off: start the server with --api-key");
            }
            authorize(request);
            if (!node.ready()) {
                throw new HttpException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                        "this node cannot reach its cluster's broker; try another node or later");
            }
            return route(request).exceptionally(ServerApi::internalError);
        } catch (HttpException e) {
            return CompletableFuture.completedFuture(error(e));
        }
    }

    private CompletableFuture<FullHttpResponse> route(FullHttpRequest request) throws HttpException {
        List<String> path = ApiRequests.segments(new QueryStringDecoder(request.uri()).rawPath());
        if (path.size() < 3 || path.size() > 4 || !"api".equals(path.get(0)) || !"users".equals(path.get(1))) {
            throw notFound();
        }
        String userId = ApiRequests.userId(path.get(2));
        HttpMethod method = request.method();
        if (path.size() == 3) {
            requireMethod(method, HttpMethod.GET);
            return node.userConnections(userId).thenApply(count -> HttpResponses.json(HttpResponseStatus.OK,
                    "{\"userId\":" + quote(userId) + ",\"online\":" + (count > 0) + ",\"connections\":" + count + "}"));
        }
        switch (path.get(3)) {
            case "messages": {
                requireMethod(method, HttpMethod.POST);
                Message message = ApiRequests.messageBody(ByteBufUtil.getBytes(request.content()));
                IdempotencyKey key = ApiRequests.idempotencyKey(request);
                return node.publish(new Publication(userId, message, null), key)
                        .thenApply(result -> HttpResponses.json(HttpResponseStatus.OK,
                                "{\"userId\":" + quote(userId) + ",\"delivered\":" + result.delivered()
                                        + ",\"seq\":" + result.seq() + partial(result.partial())
                                        + (result.duplicate() ? ",\"duplicate\":true" : "") + "}"));
            }
            case "connections": {
                requireMethod(method, HttpMethod.DELETE);
                return node.disconnect(userId, CloseCodes.DISCONNECTED, "disconnected by the server API")
                        .thenApply(closed -> HttpResponses.json(HttpResponseStatus.OK,
                                "{\"userId\":" + quote(userId) + ",\"closed\":" + closed.count()
                                        + partial(closed.partial()) + "}"));
            }
            default:
                throw notFound();
        }
    }

    private static String partial(boolean partial) {
        return partial ? ",\"partial\":true" : "";
    }

    private void authorize(FullHttpRequest request) throws HttpException {
        if (!authorizes(request)) {
            throw new HttpException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                    "a valid API key is required: Authorization: Bearer <key>");
        }
    }

    /**
     * Whether {@code request} carries the API key as {@code Authorization: Bearer KEY}; always false
     * when the API is off. Other endpoints the key protects (the dashboard's stats) ask this too.
     */
    public boolean authorizes(FullHttpRequest request) {
        if (apiKey == null) {
            return false;
        }
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        byte[] presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        // Constant time, so the key cannot be guessed byte by byte from response times.
        return MessageDigest.isEqual(presented, apiKey);
    }

    private static void requireMethod(HttpMethod actual, HttpMethod expected) throws HttpException {
        if (!expected.equals(actual)) {
            throw new MethodNotAllowed(expected);
        }
    }

    private static HttpException notFound() {
        return new HttpException(HttpResponseStatus.NOT_FOUND, "not_found", "no such API path");
    }

    private static FullHttpResponse error(HttpException e) {
        FullHttpResponse response = e.toResponse();
        if (e.status() == HttpResponseStatus.UNAUTHORIZED) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        if (e instanceof MethodNotAllowed) {
            response.headers().set(HttpHeaderNames.ALLOW, ((MethodNotAllowed) e).allowed.name());
        }
        return response;
    }

    private static FullHttpResponse internalError(Throwable error) {
        if (IdempotencyKeyReusedException.is(error)) {
            return HttpResponses.error(HttpResponseStatus.UNPROCESSABLE_ENTITY, "idempotency_key_reused",
                    "this Idempotency-Key was already used for another user or message; nothing was sent");
        }
        return HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                BrokerUnavailableException.isFull(error)
                        ? "the cluster's Redis is full (maxmemory), so nothing was done; try again later"
                        : BrokerUnavailableException.is(error)
                        ? "this node cannot reach its cluster's broker, so nothing was done; try another node or later"
                        : "the request could not be completed, and it may have taken effect (a cluster's Redis"
                                + " command timed out); try again");
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    /** A 405 that knows which method the path takes. */
    private static final class MethodNotAllowed extends HttpException {
        private final HttpMethod allowed;

        MethodNotAllowed(HttpMethod allowed) {
            super(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "this path takes " + allowed.name());
            this.allowed = allowed;
        }
    }
}
