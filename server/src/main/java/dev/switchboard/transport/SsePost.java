package dev.switchboard.transport;

import dev.switchboard.core.Forwarded;
import dev.switchboard.core.Identity;
import dev.switchboard.core.NodeIds;
import dev.switchboard.hub.Session;
import dev.switchboard.node.Node;
import dev.switchboard.transport.http.HttpException;
import dev.switchboard.transport.http.HttpRequestHandler;
import dev.switchboard.transport.http.HttpResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The upward half of a protocol spoken over server-sent events: {@code POST /sse/{connectionId}}
 * carries one request of that SSE connection, and its answer — the frame a WebSocket would have
 * carried — comes back as the JSON body of the HTTP response (200). Everything else the request
 * causes (deliveries, receipts, a close) happens on the stream.
 *
 * <p>Checked in order: the origin and credentials exactly as at the stream's handshake (403, 401);
 * the size (413 {@code message_too_big}); the connection (404 {@code unknown_connection}); the
 * identity, which must be the stream's (403 {@code forbidden}). A connection that is closing answers
 * 410 {@code connection_closed}. A request with no answer (v1 {@code received}) gets 204.
 *
 * <p>A POST that reaches a node other than the stream's (a load balancer that does not keep a
 * client on one node) is forwarded, through the cluster's broker, to the node its connection id
 * names, which runs it as above and sends its answer back ({@link Node#forward}); it costs a round
 * trip through Redis. If that node is gone: 404 {@code unknown_connection}; if it cannot be reached
 * or does not answer in time: 503 {@code unavailable} — and then, unlike other 503s, the request may
 * have run there (a send behind it may have been delivered: its idempotency key makes a retry safe);
 * without a cluster to forward through: 421 {@code wrong_node}.
 *
 * <p>Threading: the request is read on its own connection's loop and handled on the stream's loop,
 * where the protocol expects its requests; the answer is written from whichever thread makes it.
 */
final class SsePost {
    private static final Logger log = LoggerFactory.getLogger(SsePost.class);
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
        Consumer<FullHttpResponse> respond = response -> {
            allowOrigin(response, readableBy);
            http.respond(ctx, response, keepAlive);
        };
        Identity identity;
        try {
            identity = gate.identify(request);
            if (request.content().readableBytes() > maxMessageBytes) {
                throw tooBig();
            }
        } catch (HttpException e) {
            respond.accept(e.toResponse());
            return;
        }
        String holder = NodeIds.nodeOf(connectionId);
        if (streamOf(connectionId) == null && holder != null && !holder.equals(node.id())) {
            forward(connectionId, identity.userId(), ByteBufUtil.getBytes(request.content()), respond);
        } else {
            run(connectionId, identity.userId(), request.content().retainedDuplicate(), respond);
        }
    }

    /** A request another node forwarded here: run as if it had come in here. Runs on a broker thread. */
    void forwarded(String connectionId, String userId, byte[] request, Consumer<Forwarded> answer) {
        if (streamOf(connectionId) == null) {
            answer.accept(Forwarded.notHeld());
            return;
        }
        Consumer<FullHttpResponse> back = response -> {
            try {
                answer.accept(new Forwarded(response.status().code(), ByteBufUtil.getBytes(response.content())));
            } finally {
                response.release();
            }
        };
        if (request.length > maxMessageBytes) {
            back.accept(tooBig().toResponse()); // this node's limit, should the origin's differ
            return;
        }
        run(connectionId, userId, Unpooled.wrappedBuffer(request), back);
    }

    private HttpException tooBig() {
        return new HttpException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "message_too_big",
                "the request is larger than " + maxMessageBytes + " bytes");
    }

    /** To the node that holds the connection; its answer becomes this POST's. */
    private void forward(String connectionId, String userId, byte[] request, Consumer<FullHttpResponse> respond) {
        node.forward(connectionId, userId, request).whenComplete((answer, error) -> {
            if (error != null) {
                log.debug("could not forward a request to the node of {}", connectionId, error);
                respond.accept(HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                        "the node that holds this connection did not answer; the request may have run there"));
            } else if (answer == null) {
                respond.accept(HttpResponses.error(HttpResponseStatus.MISDIRECTED_REQUEST, "wrong_node",
                        "this connection is not on this node: send its requests to the node that holds its stream"));
            } else if (!answer.held()) {
                respond.accept(unknownConnection());
            } else {
                respond.accept(response(HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body())));
            }
        });
    }

    /**
     * Runs one request (ownership of {@code content} passes here) on this node's SSE connection
     * {@code connectionId}, whose identity must be {@code userId}, on the connection's loop, where the
     * protocol expects its requests; its answer goes to {@code respond}, once, from whichever thread
     * makes it.
     */
    private void run(String connectionId, String userId, ByteBuf content, Consumer<FullHttpResponse> respond) {
        SessionHandler stream = streamOf(connectionId);
        if (stream == null || !Objects.equals(userId, stream.session().userId())) {
            content.release();
            respond.accept(stream == null ? unknownConnection() : HttpResponses.error(HttpResponseStatus.FORBIDDEN,
                    "forbidden", "this connection belongs to another identity"));
            return;
        }
        NettySession session = stream.session();
        WireProtocol.Inbound inbound = stream.inbound();
        Answer answer = new Answer(respond);
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

    /** The handler of this node's open SSE connection {@code connectionId}, or {@code null}. */
    private SessionHandler streamOf(String connectionId) {
        Session session = node.session(connectionId);
        if (session instanceof NettySession netty && netty.channel().pipeline().get("sse") != null) {
            return netty.channel().pipeline().get(SessionHandler.class);
        }
        return null;
    }

    private static FullHttpResponse unknownConnection() {
        return HttpResponses.error(HttpResponseStatus.NOT_FOUND, "unknown_connection",
                "no open SSE connection with this id; open GET /sse first, or again");
    }

    /** An answer's response: 200 with its JSON, or 204 without a body. */
    private static FullHttpResponse response(HttpResponseStatus status, ByteBuf json) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, json);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.readableBytes());
        if (json.isReadable()) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        }
        return response;
    }

    /** Turns the one answer of a POSTed request into its HTTP response. */
    private static final class Answer implements WireProtocol.Reply {
        private final Consumer<FullHttpResponse> respond;
        private final AtomicBoolean answered = new AtomicBoolean();

        Answer(Consumer<FullHttpResponse> respond) {
            this.respond = respond;
        }

        @Override
        public void answer(NettySession sender, Object frame) {
            if (!answered.compareAndSet(false, true)) {
                ReferenceCountUtil.release(frame);
                return;
            }
            respond.accept(response(HttpResponseStatus.OK, ((ByteBufHolder) frame).content()));
        }

        @Override
        public void none() {
            if (answered.compareAndSet(false, true)) {
                respond.accept(response(HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER));
            }
        }

        void closed() {
            if (answered.compareAndSet(false, true)) {
                respond.accept(HttpResponses.error(HttpResponseStatus.GONE, "connection_closed",
                        "the SSE connection is closed; open GET /sse again"));
            }
        }
    }
}
