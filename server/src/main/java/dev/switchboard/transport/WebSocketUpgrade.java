package dev.switchboard.transport;

import dev.switchboard.core.Clock;
import dev.switchboard.core.ConnectionIds;
import dev.switchboard.core.Identity;
import dev.switchboard.core.LogSafe;
import dev.switchboard.limits.TokenBucket;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.node.Node;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import dev.switchboard.transport.http.HttpException;
import dev.switchboard.transport.http.HttpRequestHandler;
import dev.switchboard.transport.http.HttpResponses;
import dev.switchboard.transport.http.WebSocketUpgrader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Turns an HTTP upgrade request into a registered WebSocket session: reads the identity, picks the
 * {@link WireProtocol} by the subprotocol the client offers (the one without a subprotocol when it
 * offers none the server speaks), runs Netty's handshake, and replaces the HTTP handlers with the
 * WebSocket ones. {@code GET /sse} opens the same kind of session over server-sent events (the
 * protocol that is {@link WireProtocol#overSse}; its requests come as {@link SsePost}s).
 *
 * <p>Who the client is, and whether it may connect at all, is the {@link HandshakeGate}'s call. The
 * session is registered just before the 101 response is written, so a client that has read its 101
 * is always found; frames delivered to it queue behind the 101. A failed handshake closes the
 * channel, which unregisters the session.
 */
final class WebSocketUpgrade implements WebSocketUpgrader {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final TransportOptions options;
    private final Node node;
    private final Metrics metrics;
    private final Clock clock;
    private final OutboundBatcher.PerLoop batchers;
    private final ConnectionIds ids;
    private final WebSocketDecoderConfig decoderConfig;
    private final HandshakeGate gate;
    /** The protocol spoken without a subprotocol. */
    private final WireProtocol fallback;
    /** The protocols chosen by subprotocol, in the server's order of preference. */
    private final Map<String, WireProtocol> bySubprotocol = new LinkedHashMap<>();
    private final String subprotocols;
    /** The protocol spoken over SSE, or {@code null}. */
    private final WireProtocol sse;
    private final SsePost posts;

    WebSocketUpgrade(TransportOptions options, TransportSecurity security, Node node, Metrics metrics, Clock clock,
                     List<WireProtocol> protocols) {
        this.options = options;
        this.node = node;
        this.metrics = metrics;
        this.clock = clock;
        this.batchers = new OutboundBatcher.PerLoop();
        this.ids = new ConnectionIds(node.id());
        this.gate = new HandshakeGate(security.authenticator(), security.origins(), node,
                options.maxConnectionsOrAuto(), options.maxConnectionsPerUser());
        WireProtocol withoutSubprotocol = null;
        for (WireProtocol protocol : protocols) {
            if (protocol.subprotocol() == null) {
                withoutSubprotocol = protocol;
            } else {
                bySubprotocol.put(protocol.subprotocol(), protocol);
            }
        }
        if (withoutSubprotocol == null) {
            throw new IllegalArgumentException("one protocol must be spoken without a subprotocol");
        }
        this.fallback = withoutSubprotocol;
        this.subprotocols = bySubprotocol.isEmpty() ? null : String.join(",", bySubprotocol.keySet());
        this.sse = protocols.stream().filter(WireProtocol::overSse).findFirst().orElse(null);
        this.posts = sse == null ? null : new SsePost(gate, node, options.maxMessageBytes());
        if (posts != null) {
            node.answerForwarded(posts::forwarded);
        }
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(options.maxMessageBytes())
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(options.permessageDeflate())
                // The codec only reports a violation; SessionHandler closes, unregistering the session
                // before the close frame goes out (else a closed connection is briefly still counted).
                .closeOnProtocolViolation(false)
                // (Only Netty's protocol handlers read withUTF8Validator: SessionHandler checks UTF-8.)
                .build();
    }

    /** Upgrades the connection, or answers the request with an error. Runs on the event loop. */
    @Override
    public void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler httpHandler) {
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                webSocketUrl(request), subprotocols, decoderConfig).newHandshaker(request);
        if (handshaker == null) {
            FullHttpResponse response = HttpResponses.error(HttpResponseStatus.UPGRADE_REQUIRED,
                    "unsupported_websocket_version", "only WebSocket version 13 is supported");
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WebSocketVersion.V13.toHttpHeaderValue());
            refuse(ctx, request, httpHandler, response);
            return;
        }
        // RFC 6455 11.3.4: several Sec-WebSocket-Protocol lines are one list. Netty's handshaker reads
        // only the first line, so fold them: the protocol spoken must be the one echoed.
        List<String> offers = request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offers.size() > 1) {
            request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, String.join(",", offers));
        }
        WireProtocol protocol = requestedProtocol(request);
        admit(ctx, request, httpHandler, protocol, (session, opening) -> {
            ChannelFuture handshake = handshaker.handshake(ctx.channel(), request);
            ctx.pipeline().addLast("session", new SessionHandler(session, opening.inbound(), options.maxMessageBytes()));
            return handshake;
        });
    }

    /**
     * {@code GET /sse}: the v1 protocol over server-sent events — the same identity, limits, welcome,
     * recovery ({@code Last-Event-ID} or {@code ?since=&epoch=}) and deliveries as a WebSocket, on a
     * {@code text/event-stream} response. Runs on the event loop.
     */
    @Override
    public void stream(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler httpHandler) {
        if (sse == null) {
            refuse(ctx, request, httpHandler, HttpResponses.error(HttpResponseStatus.NOT_FOUND, "not_found",
                    "no protocol is spoken over SSE here"));
            return;
        }
        admit(ctx, request, httpHandler, sse, (session, opening) -> {
            ChannelPipeline pipeline = ctx.pipeline();
            for (String http : new String[] {"deflate", "httpAggregator"}) {
                if (pipeline.get(http) != null) {
                    pipeline.remove(http);
                }
            }
            pipeline.addLast("sse", sse.sseEncoder(session));
            pipeline.addLast("session", new SessionHandler(session, opening.inbound(), options.maxMessageBytes()));
            return ctx.writeAndFlush(SsePost.streamHeaders(request.headers().get(HttpHeaderNames.ORIGIN)));
        });
    }

    /**
     * {@code POST /sse/{connectionId}}: one v1 request of an SSE connection, answered as JSON; an
     * {@code OPTIONS} on {@code /sse} or {@code /sse/{connectionId}}: a CORS preflight.
     */
    @Override
    public void post(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler httpHandler,
                     String connectionId) {
        if (posts == null) {
            refuse(ctx, request, httpHandler, HttpResponses.error(HttpResponseStatus.NOT_FOUND, "not_found",
                    "no protocol is spoken over SSE here"));
            return;
        }
        if (request.method().equals(io.netty.handler.codec.http.HttpMethod.OPTIONS)) {
            posts.preflight(ctx, request, httpHandler);
        } else {
            posts.handle(ctx, request, httpHandler, connectionId);
        }
    }

    /** Admits the client, then subscribes for its user and opens its session. Runs on the event loop. */
    private void admit(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler httpHandler,
                       WireProtocol protocol, Answer answer) {
        Identity identity;
        try {
            identity = gate.admit(request);
        } catch (HttpException rejection) {
            log.debug("handshake refused: {} {} remote={}", rejection.status().code(), rejection.code(),
                    ctx.channel().remoteAddress());
            refuse(ctx, request, httpHandler, rejection.toResponse());
            return;
        }
        WireProtocol.Opening opening;
        try {
            opening = protocol.accept(request);
        } catch (HttpException e) {
            refuse(ctx, request, httpHandler, e.toResponse());
            return;
        }
        String userId = identity.userId();
        CompletableFuture<Void> interest = userId == null ? DONE : node.prepare(userId);
        if (interest.isDone() && !interest.isCompletedExceptionally()) {
            open(ctx, request, httpHandler, answer, identity, protocol, opening);
            return;
        }
        // A cluster node subscribes first: the 101 goes out only once the user's messages reach this node.
        request.retain();
        interest.whenComplete((ok, error) -> ctx.executor().execute(() -> {
            try {
                if (error != null) {
                    log.warn("could not subscribe for a connecting user: {}", error.toString());
                    node.release(userId);
                    refuse(ctx, request, httpHandler, HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "unavailable", "this node cannot reach its cluster's broker; try another node or later"));
                } else if (!ctx.channel().isActive()) {
                    node.release(userId);
                } else {
                    open(ctx, request, httpHandler, answer, identity, protocol, opening);
                }
            } finally {
                request.release();
            }
        }));
    }

    /** How a connection is answered once its session is registered: the 101, or the SSE stream's 200. */
    @FunctionalInterface
    private interface Answer {
        /** Writes the answer and puts the session's handlers in the pipeline. Runs on the loop. */
        ChannelFuture start(NettySession session, WireProtocol.Opening opening) throws WebSocketHandshakeException;
    }

    /** Registers the session and writes the answer. Runs on the event loop, after {@link Node#prepare}. */
    private void open(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler httpHandler,
                      Answer answer, Identity identity, WireProtocol protocol, WireProtocol.Opening opening) {
        NettySession session = new NettySession(ids.next(), identity, ctx.channel(),
                batchers.forLoop(ctx.channel().eventLoop()), opening.outbound(),
                node, metrics, clock, options.closeTimeout().toMillis(), options.maxOutboundBytes(), rateLimit());
        // Registered before the 101 is written: a client that has read it may at once be sent to,
        // and the loop can be preempted right after the write. Nothing reaches the channel before
        // this task ends (deliveries, pings and closes queue on this loop), so frames follow the 101.
        // Active now, so the SessionHandler added below will see channelInactive and unregister.
        boolean active = ctx.channel().isActive();
        CompletableFuture<Void> counted = DONE;
        if (active) {
            counted = node.open(session);
        } else if (identity.userId() != null) {
            node.release(identity.userId());
        }
        // In a cluster the count reaches Redis asynchronously: hold the 101 until it is there, so a
        // backend that hears of the connection and asks any node counts it.
        FlushGate gate = counted.isDone() ? null : FlushGate.close(ctx.channel());
        ChannelFuture handshake;
        try {
            handshake = answer.start(session, opening);
        } catch (WebSocketHandshakeException e) {
            node.closed(session);
            refuse(ctx, request, httpHandler, HttpResponses.error(HttpResponseStatus.BAD_REQUEST,
                    "bad_handshake", e.getMessage()));
            if (gate != null) {
                gate.open(ctx.channel());
            }
            return;
        }
        ctx.pipeline().remove(httpHandler);
        if (active) {
            log.info("connect user={} conn={} remote={} verified={} protocol={}", LogSafe.text(identity.userId()),
                    session.id(), ctx.channel().remoteAddress(), identity.verified(),
                    (protocol.subprotocol() == null ? "plain" : protocol.subprotocol())
                            + (ctx.pipeline().get("sse") != null ? " over SSE" : ""));
            metrics.connectionOpened(session.id(), identity.userId());
            opening.opened(session);
        }
        handshake.addListener(done -> {
            if (!done.isSuccess()) {
                ctx.close();
            }
        });
        if (gate != null) {
            counted.whenComplete((ok, error) -> ctx.channel().eventLoop().execute(() -> gate.open(ctx.channel())));
        }
    }

    /** The first protocol the client offers that the server speaks, else the one without a subprotocol. */
    private WireProtocol requestedProtocol(FullHttpRequest request) {
        for (String offered : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String token : offered.split(",")) {
                WireProtocol protocol = bySubprotocol.get(token.trim());
                if (protocol != null) {
                    return protocol;
                }
            }
        }
        return fallback;
    }

    /** Answers a refused handshake, and counts it by status. */
    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler httpHandler,
                        FullHttpResponse response) {
        metrics.handshakeRejected(response.status().code());
        httpHandler.respond(ctx, request, response);
    }

    private TokenBucket rateLimit() {
        return options.maxMessagesPerSecond() > 0
                ? new TokenBucket(clock, options.maxMessagesPerSecond(), options.messageBurst()) : null;
    }

    private static String webSocketUrl(FullHttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        return "ws://" + host + new QueryStringDecoder(request.uri()).path();
    }
}
