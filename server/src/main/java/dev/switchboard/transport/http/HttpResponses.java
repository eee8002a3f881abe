package dev.switchboard.transport.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Builds HTTP responses, in particular the JSON error body every HTTP error carries. */
public final class HttpResponses {
    private HttpResponses() {
    }

    /** A response with a body of the given content type. */
    public static FullHttpResponse of(HttpResponseStatus status, CharSequence contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }

    /** A JSON response. */
    public static FullHttpResponse json(HttpResponseStatus status, String json) {
        return of(status, HttpHeaderValues.APPLICATION_JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"error":"<text>","code":"<code>"}} with {@code status}. */
    public static FullHttpResponse error(HttpResponseStatus status, String code, String text) {
        String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(text));
        return json(status, "{\"error\":\"" + escaped + "\",\"code\":\"" + code + "\"}");
    }

    /** 405 for a path that only takes {@code allow} (e.g. {@code "GET, HEAD"}), with the {@code Allow} header. */
    public static FullHttpResponse methodNotAllowed(String allow) {
        FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed");
        response.headers().set(io.netty.handler.codec.http.HttpHeaderNames.ALLOW, allow);
        return response;
    }
}
