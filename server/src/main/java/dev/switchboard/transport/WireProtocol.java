package dev.switchboard.transport;

import dev.switchboard.hub.Delivery;
import dev.switchboard.hub.SessionEvent;
import dev.switchboard.transport.http.HttpException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A protocol a WebSocket client can speak, chosen by the subprotocol it offers: its wire format in
 * both directions (v1 is also spoken over server-sent events: {@link #overSse}). The transport owns the connection (its pipeline, session, limits and closing);
 * a protocol reads what the client sends and encodes what the server sends. The implementations
 * live beside this package: {@code transport.plain} (the tutorial's contract, spoken without a
 * subprotocol) and {@code transport.v1} ({@code switchboard.v1}).
 *
 * <p>Threading: a protocol is shared by all its connections and must be thread-safe; per-connection
 * state lives in the {@link Outbound} it makes for each one.
 */
public interface WireProtocol {
    /** The subprotocol a client offers to speak it, or {@code null} for the one spoken without any. */
    String subprotocol();

    /**
     * Starts a connection that asked for this protocol, before its handshake is answered: reads what
     * the protocol needs from the request (v1: where to resume).
     *
     * @throws HttpException to refuse the handshake (the client gets it as the HTTP answer)
     */
    Opening accept(FullHttpRequest request) throws HttpException;

    /**
     * Whether the protocol is also spoken over server-sent events ({@code GET /sse}, requests POSTed
     * beside the stream): then {@link #sseEncoder} turns its frames into events and
     * {@link Inbound#onRequest} answers requests in their HTTP response.
     */
    default boolean overSse() {
        return false;
    }

    /**
     * The outbound handler that writes one SSE connection's frames as events (a WebSocket frame in,
     * HTTP content out), or {@code null} if the protocol is not spoken over SSE.
     */
    default io.netty.channel.ChannelOutboundHandler sseEncoder(NettySession session) {
        return null;
    }

    /** One connection's side of the protocol. */
    interface Opening {
        /** The connection's writing side. */
        Outbound outbound();

        /** The reading side (usually shared by every connection of the protocol). */
        Inbound inbound();

        /**
         * The session is registered and counted, and its handshake answered or about to be: start
         * it (v1 reads the user's stream and writes its welcome). Runs on the connection's loop;
         * must not block.
         */
        void opened(NettySession session);
    }

    /** Handles the complete messages a client sends. Runs on the client's event loop; must not block. */
    interface Inbound {
        /** One complete text or binary message from {@code sender}; {@code content} is released by the caller. */
        void onMessage(NettySession sender, ByteBuf content);

        /**
         * One request whose answer goes to {@code reply} rather than down the connection (v1 over SSE:
         * a request POSTed beside the stream is answered in its HTTP response). Everything else the
         * request causes — deliveries, receipts, a close — happens on the connection as usual. Only a
         * protocol spoken over SSE (v1) supports it.
         */
        default void onRequest(NettySession sender, ByteBuf content, Reply reply) {
            throw new UnsupportedOperationException("this protocol answers only down its connection");
        }
    }

    /**
     * Where the answer to one client request goes. Called once per request that has an answer, from
     * whatever thread completes it (the loop, or the broker's thread for an ack); a request without
     * an answer (v1 {@code received}) calls {@link #none}.
     */
    interface Reply {
        /** Answers down the connection itself: the WebSocket way. */
        Reply STREAM = NettySession::send;

        /** The answer frame (ownership passes here). */
        void answer(NettySession sender, Object frame);

        /** The request has no answer. */
        default void none() {
        }
    }

    /**
     * What a connection does with what the server sends it. Every call is made under the
     * connection's session lock ({@link NettySession}), after the session checked that it is not
     * closing: an implementation only queues frames ({@link NettySession#send}) and returns; it never
     * calls out of the transport, and never closes the session itself.
     */
    interface Outbound {
        /** What became of a delivery. */
        enum Result {
            /** Queued (or held back until the connection starts, or already written): counted as delivered. */
            QUEUED,
            /** Of another epoch than the connection's: the stream was reset, and the session closes (1012). */
            RESET,
            /**
             * More than the connection may have waiting ({@link NettySession#maxQueuedBytes()}), held
             * back before it started: not delivered, and the session closes as a slow consumer (4008).
             */
            OVERFLOW
        }

        Result deliver(NettySession session, Delivery delivery);

        /** An event for the connection (presence, receipt); a protocol without events ignores it. */
        void deliverEvent(NettySession session, SessionEvent event);

        /** Whether the client recovers what it missed by reconnecting ({@link dev.switchboard.hub.Session#resumable}). */
        boolean resumable();
    }
}
