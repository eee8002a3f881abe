package dev.switchboard.client.transport;

/**
 * What one WebSocket delivers, from its {@link WebSocketTransport} to the client.
 *
 * <p>Ordering and threading: the transport calls these methods one at a time, never concurrently,
 * in the order things happened on the socket, on a thread of its own: {@link #onOpen} first, then
 * any number of {@link #onText} and {@link #onActivity}, then at most one of {@link #onClose} and
 * {@link #onError}, after which nothing is called (except an {@code onError} after
 * {@link TransportSocket#abort}). Implementations return quickly and do not block: what takes time
 * is handed to another thread.
 */
public interface TransportListener {
    /**
     * The server accepted the upgrade; nothing else is delivered before this. No message arrives
     * until {@link TransportSocket#request requested}.
     */
    void onOpen(TransportSocket socket);

    /** One whole text message (a message in several frames is joined first), as requested. */
    void onText(String text);

    /**
     * Something else arrived that shows the server is alive: a part of a message, a ping, a pong, a
     * binary message (which Switchboard never sends: it is skipped). Not counted against what was
     * requested. A transport that does not see such frames (OkHttp answers pings by itself) need not
     * call it.
     */
    void onActivity();

    /**
     * The server's close frame arrived; the transport answers it by itself. {@code code} is
     * {@code 1005} when the frame carried none.
     */
    void onClose(int code, String reason);

    /** The connection failed after it opened (an I/O error, a protocol violation): it is gone. */
    void onError(Throwable error);
}
