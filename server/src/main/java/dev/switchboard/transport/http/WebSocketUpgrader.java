package dev.switchboard.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Takes over a connection whose request opens a session: a WebSocket upgrade on {@code /} or
 * {@code /ws}, or a server-sent events stream ({@code GET /sse}); and answers the requests an SSE
 * connection POSTs beside its stream. Runs on the connection's event loop; must not block. A
 * refusal is answered through {@link HttpRequestHandler#respond}, like any HTTP request.
 */
public interface WebSocketUpgrader {
    /** A WebSocket upgrade request. */
    void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler http);

    /** {@code GET /sse}: opens a session whose frames go down this response as server-sent events. */
    void stream(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler http);

    /**
     * {@code POST /sse/{connectionId}}: one request of that SSE connection, answered in the response;
     * an {@code OPTIONS} request on {@code /sse} or {@code /sse/…} (then {@code connectionId} is
     * {@code null}): a CORS preflight.
     */
    void post(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler http, String connectionId);
}
