package dev.switchboard.api;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

import java.util.concurrent.CompletableFuture;

/**
 * Extra HTTP endpoints mounted beside the built-in ones (the live-transcript app's). Called on an
 * event loop; must not block. The request is released after {@link #handle} returns, so an
 * endpoint that answers later (after I/O) must read what it needs first.
 */
@FunctionalInterface
public interface AppEndpoints {
    /**
     * @param path the request's decoded path, without the query
     * @return the response, completed now or later on any thread, or {@code null} when
     *     {@code path} is not one of these endpoints
     */
    CompletableFuture<FullHttpResponse> handle(FullHttpRequest request, String path);
}
