package dev.switchboard.transport.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first handler after the HTTP codec: a WebSocket upgrade on {@code /} or {@code /ws}, and
 * {@code /sse} and {@code /sse/{connectionId}} (v1 over server-sent events), go to the
 * {@link WebSocketUpgrader}; every other request to the {@link HttpService}. One instance per
 * connection (it removes itself on upgrade).
 *
 * <p>It also enforces the handshake deadline: a complete request must arrive within the timeout of
 * the connection opening or of the previous response, so a client that drips its headers (or
 * opens a socket and says nothing) cannot hold a connection.
 */
public final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);

    private static final String SSE = "/sse";
    private static final String SSE_SLASH = "/sse/";

    private final WebSocketUpgrader upgrade;
    private final HttpService service;
    private final long deadlineMillis;
    private ScheduledFuture<?> deadline;

    public HttpRequestHandler(WebSocketUpgrader upgrade, HttpService service, Duration handshakeTimeout) {
        this.upgrade = upgrade;
        this.service = service;
        this.deadlineMillis = handshakeTimeout.toMillis();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armDeadline(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarmDeadline();
    }

    private void armDeadline(ChannelHandlerContext ctx) {
        if (deadline == null && !ctx.isRemoved() && ctx.channel().isActive()) {
            deadline = ctx.executor().schedule(() -> {
                log.debug("no complete request within {} ms from {}; closing", deadlineMillis,
                        ctx.channel().remoteAddress());
                ctx.close();
            }, deadlineMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void disarmDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        disarmDeadline();
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            respond(ctx, request, decodeFailure(result.cause()), false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (isWebSocketUpgrade(request) && ("/".equals(path) || "/ws".equals(path))) {
            upgrade.upgrade(ctx, request, this);
            return;
        }
        if (path.equals(SSE) || path.startsWith(SSE_SLASH)) {
            sse(ctx, request, path);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        service.handle(request).whenComplete((response, error) -> {
            if (error != null) {
                log.warn("HTTP request failed", error);
                response = HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
                        "internal server error");
            }
            respond(ctx, response, keepAlive);
        });
    }

    /** {@code GET /sse} opens a stream, {@code POST /sse/{connectionId}} sends one of its requests. */
    private void sse(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.OPTIONS)) {
            upgrade.post(ctx, request, this, null); // a CORS preflight
            return;
        }
        if (path.equals(SSE)) {
            if (method.equals(HttpMethod.GET)) {
                upgrade.stream(ctx, request, this);
            } else {
                respond(ctx, request, HttpResponses.methodNotAllowed("GET"));
            }
            return;
        }
        String connectionId = path.substring(SSE_SLASH.length());
        if (connectionId.isEmpty() || connectionId.indexOf('/') >= 0) {
            respond(ctx, request, HttpResponses.error(HttpResponseStatus.NOT_FOUND, "not_found", "not found"));
        } else if (!method.equals(HttpMethod.POST)) {
            respond(ctx, request, HttpResponses.methodNotAllowed("POST"));
        } else {
            upgrade.post(ctx, request, this, connectionId);
        }
    }

    /** Writes {@code response} to a request whose handling has ended. Runs on the loop. */
    public void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        respond(ctx, request, response, HttpUtil.isKeepAlive(request));
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
                         boolean keepAlive) {
        respond(ctx, response, keepAlive);
    }

    /**
     * Writes {@code response}, keeping the connection open for the next request if {@code keepAlive}
     * (read from the request before it was released). Any thread.
     */
    public void respond(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            // The next request gets its own deadline, counted from this response.
            ctx.writeAndFlush(response).addListener(written -> armDeadline(ctx));
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse decodeFailure(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponses.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "headers_too_large", "request headers too large");
        }
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponses.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long",
                    "request line too long");
        }
        return HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed HTTP request");
    }

    private static boolean isWebSocketUpgrade(FullHttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection error: {}", cause.toString());
        ctx.close();
    }
}
