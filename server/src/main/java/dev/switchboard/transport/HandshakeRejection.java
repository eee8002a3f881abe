package dev.switchboard.transport;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A WebSocket handshake refused before the upgrade: answered with {@code status} and a JSON body. */
final class HandshakeRejection extends Exception {
    private final HttpResponseStatus status;
    private final String code;

    HandshakeRejection(HttpResponseStatus status, String code, String message) {
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
