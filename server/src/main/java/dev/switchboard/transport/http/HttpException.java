package dev.switchboard.transport.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request refused with an HTTP error status and the JSON body every HTTP error carries,
 * {@code {"error":"<message>","code":"<code>"}}. Used by the handshake and the server API. Carries
 * no stack trace: refusing bad requests is ordinary control flow.
 */
public class HttpException extends Exception {
    private final HttpResponseStatus status;
    private final String code;

    public HttpException(HttpResponseStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The error response for this refusal. */
    public FullHttpResponse toResponse() {
        return HttpResponses.error(status, code, getMessage());
    }
}
