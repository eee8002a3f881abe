package dev.switchboard.transport.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

import java.util.concurrent.CompletableFuture;

/**
 * Answers the plain HTTP requests that arrive on the WebSocket port (health, metrics, pages, API).
 *
 * <p>Threading: called on an event loop; must not block. The request is released by the caller
 * after this returns, so an implementation that answers later must copy what it needs first.
 */
@FunctionalInterface
public interface HttpService {
    CompletableFuture<FullHttpResponse> handle(FullHttpRequest request);
}
