package dev.switchboard.client.jdk;

import dev.switchboard.client.HandshakeRejectedException;
import dev.switchboard.client.transport.TransportListener;
import dev.switchboard.client.transport.TransportSocket;
import dev.switchboard.client.transport.WebSocketTransport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The JDK's WebSocket ({@code java.net.http}) as a {@link WebSocketTransport}: the transport of
 * {@code switchboard-client}, for desktops and servers (Java 17+). Found by
 * {@link java.util.ServiceLoader} when the builder is given no transport; give one explicitly to
 * choose the {@link HttpClient} (TLS settings, a proxy, or one shared between clients):
 * {@code builder.transport(new JdkWebSocketTransport(httpClient))}.
 *
 * <p>Thread-safe, as {@link HttpClient} is. Callbacks run on the {@code HttpClient}'s threads.
 */
public final class JdkWebSocketTransport implements WebSocketTransport {
    private HttpClient http; // guarded by this; made at the first open by the no-argument constructor's

    /**
     * On a new {@link HttpClient} of its own (the default), made when it first opens a WebSocket — so
     * that one {@link java.util.ServiceLoader} found but the client did not choose costs nothing.
     */
    public JdkWebSocketTransport() {
    }

    /** On {@code http}: its TLS settings, proxy and executor apply. */
    public JdkWebSocketTransport(HttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public CompletableFuture<TransportSocket> open(URI uri, String subprotocol, Map<String, String> headers,
                                                   Duration connectTimeout, TransportListener listener) {
        JdkSocket socket = new JdkSocket(listener);
        WebSocket.Builder builder = http().newWebSocketBuilder().subprotocols(subprotocol).connectTimeout(connectTimeout);
        headers.forEach(builder::header);
        CompletableFuture<WebSocket> handshake;
        try {
            handshake = builder.buildAsync(uri, socket);
        } catch (IllegalArgumentException e) {
            handshake = CompletableFuture.failedFuture(e);
        }
        return handshake.handle((ws, error) -> {
            if (error != null) {
                throw new CompletionException(refusal(error));
            }
            socket.attach(ws);
            return socket;
        });
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newHttpClient();
        }
        return http;
    }

    /** A refused upgrade as a {@link HandshakeRejectedException} with the server's status and body. */
    private static Throwable refusal(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException refused) {
            return new HandshakeRejectedException(refused.getResponse().statusCode(), body(refused), refused);
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
