package dev.switchboard.client;

import dev.switchboard.client.transport.TransportListener;
import dev.switchboard.client.transport.TransportSocket;
import dev.switchboard.client.transport.WebSocketTransport;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Opening a {@code switchboard.v1} WebSocket on a transport, and making sense of its failures. */
final class Handshake {
    static final String SUBPROTOCOL = "switchboard.v1";

    private Handshake() {
    }

    /**
     * Starts the opening handshake; never throws: a failure, even a transport's exception, fails the future.
     *
     * @param token sent as {@code Authorization: Bearer}, or {@code null} for none
     */
    static CompletableFuture<TransportSocket> open(WebSocketTransport transport, URI uri, String token,
                                                   Duration timeout, TransportListener listener) {
        Map<String, String> headers = token == null ? Collections.<String, String>emptyMap()
                : Collections.singletonMap("Authorization", "Bearer " + token);
        try {
            return transport.open(uri, SUBPROTOCOL, headers, timeout, listener);
        } catch (RuntimeException e) {
            return Futures.failed(e);
        }
    }

    /**
     * Why a connection attempt failed, in words, the same whichever transport failed: a refused TCP
     * connection ({@link java.net.ConnectException}, which the JDK reports without a message and
     * OkHttp as "Failed to connect to …" around "Connection refused") reads "connection refused";
     * otherwise the first message along the cause chain, with the kind of failure.
     */
    static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        if (refused(cause)) {
            return "connection refused (ConnectException)";
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.trim().isEmpty()) {
                return message + " (" + t.getClass().getSimpleName() + ")";
            }
        }
        if (cause.getClass().getSimpleName().endsWith("TimeoutException")) {
            return "timed out (" + cause.getClass().getSimpleName() + ")";
        }
        return cause.getClass().getName();
    }

    /** Whether the cause chain is a TCP connection refused: a ConnectException that says so, or says nothing. */
    private static boolean refused(Throwable cause) {
        boolean connect = false;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                connect = true;
                String message = t.getMessage();
                if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("refused")) {
                    return true;
                }
            }
        }
        return connect && cause instanceof java.net.ConnectException && cause.getMessage() == null;
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
}
