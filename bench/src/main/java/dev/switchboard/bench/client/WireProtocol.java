package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * One way of speaking "send {userId, message}, get an ack, receive pushes" over a WebSocket.
 * Implementations are stateless and shared by every connection.
 */
public interface WireProtocol {

    /** Short name used on the command line and in reports. */
    String name();

    /** Request path and query for a connection registered as {@code userId} (null: send-only). */
    String requestUri(String basePath, String userId);

    /** The default base path when the user gives none. */
    String defaultPath();

    /** True when the connection is usable as soon as the WebSocket handshake completes. */
    boolean readyAfterHandshake();

    /**
     * Writes one send frame's text into {@code out}: deliver {@code payloadSize} bytes carrying
     * {@code stampNanos} to {@code userId}. {@code ackId} numbers the sends of one connection.
     */
    void encodeSend(ByteBuf out, String userId, long stampNanos, int payloadSize, long ackId);

    /**
     * Decodes one text frame. {@code sendOnly} tells whether this connection only sends, which lets
     * protocols without typed frames (the seed's) tell acks from pushes.
     */
    void decode(ByteBuf text, boolean sendOnly, InboundSink sink);

    static WireProtocol named(String name) {
        switch (name) {
            case "plain":
            case "seed":
                return PlainWire.INSTANCE;
            case "socketio":
                return SocketIoWire.INSTANCE;
            default:
                throw new IllegalArgumentException("unknown protocol " + name + " (plain, socketio)");
        }
    }
}
