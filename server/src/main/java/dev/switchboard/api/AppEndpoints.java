package dev.switchboard.api;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * Extra HTTP endpoints mounted beside the built-in ones (the live-transcript app's). Called on an
 * event loop; must not block.
 */
@FunctionalInterface
public interface AppEndpoints {
    /**
     * @param path the request's decoded path, without the query
     * @return the response, or {@code null} when {@code path} is not one of these endpoints
     */
    FullHttpResponse handle(FullHttpRequest request, String path);
}
