package dev.switchboard.client.jdk;

import dev.switchboard.client.transport.TransportListener;
import dev.switchboard.client.transport.TransportSocket;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One JDK WebSocket as a {@link TransportSocket}, and its {@link WebSocket.Listener}.
 *
 * <p>The JDK hands a large text message over in parts: they are joined here, and only a whole one
 * goes to the {@link TransportListener}. Flow control is the JDK's {@code request}, which counts
 * every callback: parts and control frames ask for the next one at once, so a request from the
 * client counts whole messages only.
 *
 * <p>Threading: the JDK calls the listener methods one at a time; {@code parts} is theirs.
 */
final class JdkSocket implements TransportSocket, WebSocket.Listener {
    private final TransportListener listener;
    private final StringBuilder parts = new StringBuilder();
    private volatile WebSocket webSocket;

    JdkSocket(TransportListener listener) {
        this.listener = listener;
    }

    /** Remembers the socket even when the handshake's future completes after frames arrived. */
    void attach(WebSocket ws) {
        webSocket = ws;
    }

    @Override
    public String subprotocol() {
        WebSocket ws = webSocket;
        return ws == null ? "" : ws.getSubprotocol();
    }

    @Override
    public CompletableFuture<Void> sendText(String text) {
        try {
            return webSocket.sendText(text, true).thenApply(ws -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void request(long n) {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.request(n);
        }
    }

    @Override
    public CompletableFuture<Void> sendClose(int code, String reason) {
        try {
            return webSocket.sendClose(code, reason).thenApply(ws -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void abort() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
    }

    @Override
    public void onOpen(WebSocket ws) {
        webSocket = ws;
        listener.onOpen(this);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        parts.append(data); // copied now: the JDK may reuse data once this method returns
        if (!last) {
            listener.onActivity();
            ws.request(1);
            return null;
        }
        String message = parts.toString();
        parts.setLength(0);
        listener.onText(message);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        return activity(ws); // the server sends text only; skip anything else
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        return activity(ws); // the JDK answers with a pong by itself
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        return activity(ws);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        listener.onClose(statusCode, reason);
        return null; // the JDK then answers the close frame
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        listener.onError(error);
    }

    private CompletionStage<?> activity(WebSocket ws) {
        listener.onActivity();
        ws.request(1);
        return null;
    }
}
