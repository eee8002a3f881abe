package dev.switchboard.client.okhttp;

import dev.switchboard.client.HandshakeRejectedException;
import dev.switchboard.client.transport.TransportListener;
import dev.switchboard.client.transport.TransportSocket;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One OkHttp WebSocket as a {@link TransportSocket}, and its {@link WebSocketListener}.
 *
 * <p>Flow control: OkHttp reads a socket on a thread of its own and has no {@code request(n)}; it
 * reads the next frame only once the listener has returned. So {@link #onMessage(WebSocket, String)}
 * waits, on that reader thread, until a message is requested: while nothing is, the socket is not
 * read and TCP pushes back on the server, as with the JDK. {@link #abort} ends the wait.
 *
 * <p>OkHttp answers pings by itself and does not report them, so only messages show the server is
 * alive. It does not answer a close frame by itself: {@link #onClosing} does.
 *
 * <p>Threading: OkHttp calls the listener methods one at a time on the reader thread; the
 * {@link TransportSocket} methods are safe from any thread.
 */
final class OkHttpSocket extends WebSocketListener implements TransportSocket {
    private static final int NORMAL_CLOSURE = 1000;
    /** The most of a refused handshake's body kept for the error. */
    private static final long MAX_REFUSAL_BODY = 8192;

    private final TransportListener listener;
    private final CompletableFuture<TransportSocket> opened = new CompletableFuture<>();
    private final Object demandLock = new Object();
    private long demand; // guarded by demandLock
    private boolean aborted; // guarded by demandLock
    private volatile WebSocket webSocket;
    private volatile String subprotocol = "";

    OkHttpSocket(TransportListener listener) {
        this.listener = listener;
    }

    /** Completes with this socket when it opened, or fails as {@code WebSocketTransport.open} says. */
    CompletableFuture<TransportSocket> opened() {
        return opened;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public CompletableFuture<Void> sendText(String text) {
        WebSocket ws = webSocket;
        if (ws != null && ws.send(text)) {
            return CompletableFuture.completedFuture(null);
        }
        return failed(new IOException("not sent: the WebSocket is closing or failed, or its send queue is full"));
    }

    @Override
    public void request(long n) {
        synchronized (demandLock) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            demandLock.notifyAll();
        }
    }

    @Override
    public CompletableFuture<Void> sendClose(int code, String reason) {
        WebSocket ws = webSocket;
        try {
            if (ws != null && ws.close(code, reason == null || reason.isEmpty() ? null : reason)) {
                return CompletableFuture.completedFuture(null);
            }
        } catch (IllegalArgumentException invalidCode) {
            return failed(invalidCode);
        }
        return failed(new IOException("no close sent: the WebSocket is closing or failed already"));
    }

    @Override
    public void abort() {
        synchronized (demandLock) {
            aborted = true;
            demandLock.notifyAll();
        }
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.cancel();
        }
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
        webSocket = ws;
        String chosen = response.header("Sec-WebSocket-Protocol");
        subprotocol = chosen == null ? "" : chosen;
        listener.onOpen(this);
        opened.complete(this);
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
        if (awaitDemand()) {
            listener.onText(text);
        }
    }

    @Override
    public void onMessage(WebSocket ws, ByteString bytes) {
        listener.onActivity(); // the server sends text only; skip anything else
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
        listener.onClose(code, reason);
        try {
            ws.close(code, null); // answer with the server's code…
        } catch (IllegalArgumentException notToBeSent) {
            ws.close(NORMAL_CLOSURE, null); // …unless it may not be sent (1005: the frame had none)
        }
    }

    @Override
    public void onFailure(WebSocket ws, Throwable error, Response response) {
        if (!opened.isDone()) {
            opened.completeExceptionally(refusal(error, response));
        } else {
            listener.onError(error);
        }
    }

    /** Waits on the reader thread until a message is requested; {@code false} once aborted. */
    private boolean awaitDemand() {
        synchronized (demandLock) {
            while (demand == 0 && !aborted) {
                try {
                    demandLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    aborted = true; // the message is lost with the connection: the client resumes after it
                }
            }
            if (aborted) {
                WebSocket ws = webSocket;
                if (ws != null) {
                    ws.cancel();
                }
                return false;
            }
            demand--;
            return true;
        }
    }

    /** A refused upgrade as a {@link HandshakeRejectedException} with the server's status and body. */
    private static Throwable refusal(Throwable error, Response response) {
        if (response == null || response.code() == 101) {
            return error;
        }
        String body = "";
        try {
            body = response.peekBody(MAX_REFUSAL_BODY).string();
        } catch (IOException | RuntimeException unreadable) {
            // the status says enough
        }
        return new HandshakeRejectedException(response.code(), body, error);
    }

    private static CompletableFuture<Void> failed(Throwable error) {
        CompletableFuture<Void> failed = new CompletableFuture<>();
        failed.completeExceptionally(error);
        return failed;
    }
}
