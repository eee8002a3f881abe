package dev.switchboard.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Takes over a connection whose request asks for a WebSocket upgrade on {@code /} or {@code /ws}.
 * Runs on the connection's event loop; must not block. A refusal is answered through
 * {@link HttpRequestHandler#respond}, like any HTTP request.
 */
@FunctionalInterface
public interface WebSocketUpgrader {
    void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler http);
}
