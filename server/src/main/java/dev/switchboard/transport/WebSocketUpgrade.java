package dev.switchboard.transport;

import dev.switchboard.core.Clock;
import dev.switchboard.core.CloseCodes;
import dev.switchboard.core.Identity;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;
import dev.switchboard.limits.TokenBucket;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.node.Node;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;


/**
 * Turns an HTTP upgrade request into a registered WebSocket session: reads the identity, runs
 * Netty's handshake, and replaces the HTTP handlers with the WebSocket ones.
 *
 * <p>Who the client is, and whether it may connect at all, is the {@link HandshakeGate}'s call. The
 * session is registered just before the 101 response is written, so a client that has read its 101
 * is always found; frames delivered to it queue behind the 101. A failed handshake closes the
 * channel, which unregisters the session.
 */
final class WebSocketUpgrade {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);

    private final TransportOptions options;
    private final Node node;
    private final Metrics metrics;
    private final Clock clock;
    private final PlainProtocol protocol;
    private final PlainEncoder encoder;
    private final OutboundBatchers batchers;
    private final ConnectionIds ids;
    private final WebSocketDecoderConfig decoderConfig;
    private final HandshakeGate gate;
    private final EnvelopeProtocol envelopeProtocol;
    private final EnvelopeEncoder envelopeEncoder;

    WebSocketUpgrade(TransportOptions options, TransportSecurity security, Node node, Metrics metrics, Clock clock,
                     PlainEncoder encoder, OutboundBatchers batchers, ConnectionIds ids) {
        this.options = options;
        this.node = node;
        this.metrics = metrics;
        this.clock = clock;
        this.encoder = encoder;
        this.batchers = batchers;
        this.ids = ids;
        this.gate = new HandshakeGate(security.authenticator(), security.origins(), node,
                options.maxConnections(), options.maxConnectionsPerUser());
        this.protocol = new PlainProtocol(node, metrics, clock, security.sendPolicy(),
                options.maxMessagesPerSecond(), options.messageBurst());
        this.envelopeProtocol = new EnvelopeProtocol(node, metrics, clock, security.sendPolicy(),
                options.maxMessagesPerSecond(), options.messageBurst());
        this.envelopeEncoder = new EnvelopeEncoder(ByteBufAllocator.DEFAULT);
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(options.maxMessageBytes())
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(options.permessageDeflate())
                // The codec only reports a violation; SessionHandler closes, unregistering the session
                // before the close frame goes out (else a closed connection is briefly still counted).
                .closeOnProtocolViolation(false)
                .withUTF8Validator(true)
                .build();
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Upgrades the connection, or answers the request with an error. Runs on the event loop. */
    void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler httpHandler) {
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                webSocketUrl(request), WireProtocol.ENVELOPE.subprotocol(), decoderConfig).newHandshaker(request);
        if (handshaker == null) {
            FullHttpResponse response = HttpResponses.error(HttpResponseStatus.UPGRADE_REQUIRED,
                    "unsupported_websocket_version", "only WebSocket version 13 is supported");
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WebSocketVersion.V13.toHttpHeaderValue());
            refuse(ctx, request, httpHandler, response);
            return;
        }
        Identity identity;
        try {
            identity = gate.admit(request);
        } catch (HttpException rejection) {
            log.debug("handshake refused: {} {} remote={}", rejection.status().code(), rejection.code(),
                    ctx.channel().remoteAddress());
            refuse(ctx, request, httpHandler, rejection.toResponse());
            return;
        }
        // RFC 6455 11.3.4: several Sec-WebSocket-Protocol lines are one list. Netty's handshaker reads
        // only the first line, so fold them: the protocol spoken must be the one echoed.
        List<String> offers = request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offers.size() > 1) {
            request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, String.join(",", offers));
        }
        WireProtocol wire = requestedProtocol(request);
        Resume resume;
        try {
            // Only v1 resumes; plain mode ignores query parameters it has no use for, as it always did.
            resume = wire == WireProtocol.ENVELOPE ? Resume.of(request) : Resume.NONE;
        } catch (HttpException e) {
            refuse(ctx, request, httpHandler, e.toResponse());
            return;
        }
        String userId = identity.userId();
        CompletableFuture<Void> interest = userId == null ? DONE : node.prepare(userId);
        if (interest.isDone() && !interest.isCompletedExceptionally()) {
            open(ctx, request, httpHandler, handshaker, identity, wire, resume);
            return;
        }
        // A cluster node subscribes first: the 101 goes out only once the user's messages reach this node.
        request.retain();
        interest.whenComplete((ok, error) -> ctx.executor().execute(() -> {
            try {
                if (error != null) {
                    log.warn("could not subscribe for a connecting user: {}", error.toString());
                    refuse(ctx, request, httpHandler, HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "unavailable", "this node cannot reach its cluster's broker; try another node or later"));
                } else if (!ctx.channel().isActive()) {
                    node.release(userId);
                } else {
                    open(ctx, request, httpHandler, handshaker, identity, wire, resume);
                }
            } finally {
                request.release();
            }
        }));
    }

    /** Registers the session and writes the 101. Runs on the event loop, after {@link Node#prepare}. */
    private void open(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequestHandler httpHandler,
                      WebSocketServerHandshaker handshaker, Identity identity, WireProtocol wire, Resume resume) {
        NettySession session = new NettySession(ids.next(), identity, ctx.channel(),
                batchers.forLoop(ctx.channel().eventLoop()), encoder,
                wire == WireProtocol.ENVELOPE ? new EnvelopeOutbound(envelopeEncoder) : null,
                node, metrics, clock, options.closeTimeout().toMillis(), rateLimit());
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
            handshake = handshaker.handshake(ctx.channel(), request);
        } catch (WebSocketHandshakeException e) {
            node.closed(session);
            refuse(ctx, request, httpHandler, HttpResponses.error(HttpResponseStatus.BAD_REQUEST,
                    "bad_handshake", e.getMessage()));
            if (gate != null) {
                gate.open(ctx.channel());
            }
            return;
        }
        ctx.pipeline().addLast("utf8", new Utf8FrameValidator(false));
        ctx.pipeline().addLast("aggregator", new WebSocketFrameAggregator(options.maxMessageBytes()));
        ctx.pipeline().addLast("session", new SessionHandler(session,
                wire == WireProtocol.ENVELOPE ? envelopeProtocol : protocol));
        ctx.pipeline().remove(httpHandler);
        if (active) {
            log.info("connect user={} conn={} remote={} verified={} protocol={}", LogSafe.text(identity.userId()),
                    session.id(), ctx.channel().remoteAddress(), identity.verified(),
                    wire == WireProtocol.ENVELOPE ? wire.subprotocol() : "plain");
            metrics.connectionOpened(session.id(), identity.userId());
            if (wire == WireProtocol.ENVELOPE) {
                welcome(session, resume);
            }
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

    /**
     * Reads the user's stream — the missed messages when resuming, else the position — and starts
     * the session with its welcome. The session is registered already, so nothing published from
     * now on can fall between the read and the live flow.
     */
    private void welcome(NettySession session, Resume resume) {
        String userId = session.userId();
        if (userId == null) {
            session.startEnvelope(new Recovery(false, List.of(), new StreamPosition(0, null)), false);
            return;
        }
        CompletableFuture<Recovery> read = resume.requested()
                ? node.recover(userId, resume.since(), resume.epoch())
                : node.position(userId).thenApply(position -> new Recovery(false, List.of(), position));
        read.whenComplete((recovery, error) -> {
            if (error != null) {
                log.warn("could not read the stream of a connecting user", error);
                session.close(CloseCodes.INTERNAL_ERROR, "stream unavailable");
            } else {
                session.startEnvelope(recovery, resume.requested());
            }
        });
    }

    private static WireProtocol requestedProtocol(FullHttpRequest request) {
        for (String offered : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String token : offered.split(",")) {
                if (WireProtocol.ENVELOPE.subprotocol().equals(token.trim())) {
                    return WireProtocol.ENVELOPE;
                }
            }
        }
        return WireProtocol.PLAIN;
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
