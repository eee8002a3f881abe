package dev.switchboard.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Opening a {@code switchboard.v1} WebSocket with the JDK, and making sense of its failures. */
final class Handshake {
    static final String SUBPROTOCOL = "switchboard.v1";

    private Handshake() {
    }

    /**
     * Starts the opening handshake.
     *
     * @param token sent as {@code Authorization: Bearer}, or {@code null} for none
     */
    static CompletableFuture<WebSocket> open(HttpClient http, URI uri, String token, Duration timeout,
                                             WebSocket.Listener listener) {
        WebSocket.Builder builder = http.newWebSocketBuilder()
                .subprotocols(SUBPROTOCOL)
                .connectTimeout(timeout);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.buildAsync(uri, listener);
    }

    /** The failure behind a future's wrapping: an I/O error, a timeout, or a {@link HandshakeRejectedException}. */
    static Throwable cause(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof WebSocketHandshakeException refused) {
            return new HandshakeRejectedException(refused.getResponse().statusCode(), body(refused), refused);
        }
        return cause;
    }

    /**
     * Why a connection attempt failed, in words: the first message along the cause chain, with the
     * kind of failure; a {@link java.net.ConnectException} without one (the JDK's "connection
     * refused") says so.
     */
    static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return message + " (" + t.getClass().getSimpleName() + ")";
            }
        }
        if (cause instanceof java.net.ConnectException) {
            return "connection refused (ConnectException)";
        }
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return "timed out (HttpTimeoutException)";
        }
        return cause.getClass().getName();
    }

    /** Where {@code uri} points, without its query (which may carry a token) or user info. */
    static String redacted(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** Strips {@link CompletionException} and {@link ExecutionException} wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The server's error body (Switchboard's is a JSON {@code {"error","code"}}), when the JDK kept it. */
    private static String body(WebSocketHandshakeException refused) {
        Object body = refused.getResponse().body();
        if (body instanceof String text) {
            return text;
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return "";
    }
}
