package dev.switchboard.client.transport;

import java.util.concurrent.CompletableFuture;

/**
 * One open WebSocket, as a {@link WebSocketTransport} hands it over: text frames out, flow control
 * in, closing.
 *
 * <p>Threading: every method may be called from any thread and none blocks. {@link #sendText} allows
 * one outstanding send: the caller sends the next frame only once the previous one's future has
 * completed, so frames go out in the order of the calls. {@link #request}, {@link #sendClose} and
 * {@link #abort} may be called at any time, also while a send is outstanding.
 */
public interface TransportSocket {
    /** The subprotocol the server chose ({@code Sec-WebSocket-Protocol}), or {@code ""} when it chose none. */
    String subprotocol();

    /**
     * Sends one whole text message.
     *
     * @return completes when the transport has taken the frame (written it to the network, or queued
     *     it in the transport's own bounded writer); fails when the frame cannot be sent: the socket
     *     closed or failed, or the transport's queue is full (the socket is then closed as well)
     */
    CompletableFuture<Void> sendText(String text);

    /**
     * Lets {@code n} more whole text messages in: {@link TransportListener#onText} is called only as
     * often as requested; none is requested at first. While nothing is requested the transport does
     * not read the socket, so TCP pushes back on the server.
     */
    void request(long n);

    /**
     * Starts the closing handshake: sends a close frame with {@code code}; the server's close frame
     * then arrives at {@link TransportListener#onClose} (when messages are requested). The caller
     * bounds the wait with {@link #abort}.
     *
     * @return completes once the close frame is sent or queued; fails when it cannot be
     */
    CompletableFuture<Void> sendClose(int code, String reason);

    /**
     * Drops the connection at once, without a closing handshake. Idempotent. Afterwards at most an
     * {@link TransportListener#onError} may still arrive, which the caller may ignore.
     */
    void abort();
}
