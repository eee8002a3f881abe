package dev.switchboard.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A server API request that is answered with an error status and a JSON body. */
class ApiException extends Exception {
    private final HttpResponseStatus status;
    private final String code;

    ApiException(HttpResponseStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    HttpResponseStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
