package dev.switchboard.transport;

import dev.switchboard.core.Identity;
import dev.switchboard.hub.Session;
import dev.switchboard.node.Node;
import dev.switchboard.transport.http.HttpException;
import dev.switchboard.transport.http.HttpRequestHandler;
import dev.switchboard.transport.http.HttpResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The upward half of a protocol spoken over server-sent events: {@code POST /sse/{connectionId}}
 * carries one request of that SSE connection, and its answer — the frame a WebSocket would have
 * carried — comes back as the JSON body of the HTTP response (200). Everything else the request
 * causes (deliveries, receipts, a close) happens on the stream.
 *
 * <p>Checked in order: the origin and credentials exactly as at the stream's handshake (403, 401);
 * the connection (404 {@code unknown_connection}; 421 {@code wrong_node} when its id names another
 * node of the cluster: a load balancer must send an SSE client's POSTs where its stream is); the
 * identity, which must be the stream's (403 {@code forbidden}); the size (413
 * {@code message_too_big}). A connection that is closing answers 410 {@code connection_closed}. A
 * request with no answer (v1 {@code received}) gets 204.
 *
 * <p>Threading: the request is read on its own connection's loop and handled on the stream's loop,
 * where the protocol expects its requests; the answer is written from whichever thread makes it.
 */
final class SsePost {
    private final HandshakeGate gate;
    private final Node node;
    private final int maxMessageBytes;

    SsePost(HandshakeGate gate, Node node, int maxMessageBytes) {
        this.gate = gate;
        this.node = node;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The head of an SSE stream's response: 200, {@code text/event-stream}, chunked, never cached or
     * buffered; readable by the page of {@code origin} (already checked against {@code --allowed-origins}).
     */
    static HttpResponse streamHeaders(String origin) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store, no-transform")
                // nginx buffers a proxied response unless told not to.
                .set("X-Accel-Buffering", "no");
        HttpUtil.setTransferEncodingChunked(response, true);
        allowOrigin(response, origin);
        return response;
    }

    /**
     * CORS: a page of another origin that {@code --allowed-origins} lets connect may read the stream
     * and the answers (the JavaScript client needs no preflight: its POSTs are {@code text/plain},
     * its token in the query). A preflight ({@code OPTIONS}) is answered for clients that send
     * {@code Authorization}.
     */
    static void allowOrigin(HttpResponse response, String origin) {
        if (origin != null) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin).add(HttpHeaderNames.VARY, "Origin");
        }
    }

    /** {@code OPTIONS /sse} or {@code /sse/{id}}: a CORS preflight. */
    void preflight(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler http) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!gate.permitsOrigin(origin)) {
            http.respond(ctx, request, HttpResponses.error(HttpResponseStatus.FORBIDDEN, "origin_not_allowed",
                    "this origin may not connect"));
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST")
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type, Last-Event-ID")
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        allowOrigin(response, origin);
        http.respond(ctx, request, response);
    }

    /** Handles one POST. Runs on the POST's loop. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler http, String connectionId) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        String readableBy = gate.permitsOrigin(origin) ? origin : null;
        NettySession session;
        WireProtocol.Inbound protocol;
        try {
            Identity identity = gate.identify(request);
            SessionHandler stream = streamOf(connectionId);
            session = stream.session();
            protocol = stream.inbound();
            if (!Objects.equals(identity.userId(), session.userId())) {
                throw new HttpException(HttpResponseStatus.FORBIDDEN, "forbidden",
                        "this connection belongs to another identity");
            }
            if (request.content().readableBytes() > maxMessageBytes) {
                throw new HttpException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "message_too_big",
                        "the request is larger than " + maxMessageBytes + " bytes");
            }
        } catch (HttpException e) {
            FullHttpResponse refusal = e.toResponse();
            allowOrigin(refusal, readableBy);
            http.respond(ctx, refusal, keepAlive);
            return;
        }
        Answer answer = new Answer(ctx, http, keepAlive, readableBy);
        WireProtocol.Inbound inbound = protocol;
        ByteBuf content = request.content().retainedDuplicate();
        session.channel().eventLoop().execute(() -> {
            try {
                if (!session.isClosing()) {
                    session.touch();
                    inbound.onRequest(session, content, answer);
                }
            } finally {
                content.release();
            }
            if (session.isClosing()) {
                // Closed before, or by, this request (too many refused in a row): no answer will come.
                answer.closed();
            }
        });
    }

    /** The handler of the open SSE connection {@code connectionId}. */
    private SessionHandler streamOf(String connectionId) throws HttpException {
        Session session = node.session(connectionId);
        if (session instanceof NettySession netty && netty.channel().pipeline().get("sse") != null) {
            SessionHandler handler = netty.channel().pipeline().get(SessionHandler.class);
            if (handler != null) {
                return handler;
            }
        }
        int dash = connectionId.lastIndexOf('-');
        if (dash > 0 && !connectionId.substring(0, dash).equals(node.id())) {
            throw new HttpException(HttpResponseStatus.MISDIRECTED_REQUEST, "wrong_node",
                    "this connection is not on this node: send its requests to the node that holds its stream");
        }
        throw new HttpException(HttpResponseStatus.NOT_FOUND, "unknown_connection",
                "no open SSE connection with this id; open GET /sse first, or again");
    }

    /** Writes the one answer of a POSTed request as its HTTP response. */
    private static final class Answer implements WireProtocol.Reply {
        private final ChannelHandlerContext ctx;
        private final HttpRequestHandler http;
        private final boolean keepAlive;
        private final String origin;
        private final AtomicBoolean answered = new AtomicBoolean();

        Answer(ChannelHandlerContext ctx, HttpRequestHandler http, boolean keepAlive, String origin) {
            this.ctx = ctx;
            this.http = http;
            this.keepAlive = keepAlive;
            this.origin = origin;
        }

        private void respond(FullHttpResponse response) {
            allowOrigin(response, origin);
            http.respond(ctx, response, keepAlive);
        }

        @Override
        public void answer(NettySession sender, Object frame) {
            if (!answered.compareAndSet(false, true)) {
                ReferenceCountUtil.release(frame);
                return;
            }
            ByteBuf json = ((ByteBufHolder) frame).content();
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, json);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, json.readableBytes())
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            respond(response);
        }

        @Override
        public void none() {
            if (answered.compareAndSet(false, true)) {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.NO_CONTENT);
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                respond(response);
            }
        }

        void closed() {
            if (answered.compareAndSet(false, true)) {
                respond(HttpResponses.error(HttpResponseStatus.GONE, "connection_closed",
                        "the SSE connection is closed; open GET /sse again"));
            }
        }
    }
}
