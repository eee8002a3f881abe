package dev.switchboard.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Opens WebSocket connections to one {@link ServerTarget} with Netty's WebSocket client. */
public final class WsConnector {

    private static final int MAX_FRAME_BYTES = 1 << 20;
    /** The close frame gets this long to go out before the socket is closed anyway. */
    private static final long FORCE_CLOSE_MILLIS = 1_000;

    private final ServerTarget target;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;

    public WsConnector(EventLoopGroup group, ServerTarget target) {
        this.target = target;
        this.remote = new InetSocketAddress(target.host(), target.port());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NettyTransport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) target.handshakeTimeout().toMillis());
    }

    public ServerTarget target() {
        return target;
    }

    /**
     * Connects a session registered as {@code userId} (null: send-only). The future completes when
     * the session is ready for messages, or fails on refusal, handshake error, close or timeout.
     */
    public Future<ClientSession> connect(String userId, FrameListener listener) {
        Promise<ClientSession> ready = ImmediateEventExecutor.INSTANCE.newPromise();
        URI uri = URI.create("ws://" + target.host() + ":" + target.port() + target.wire().requestUri(target.path(), userId));
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handshakeTimeoutMillis(target.handshakeTimeout().toMillis())
                .forceCloseTimeoutMillis(FORCE_CLOSE_MILLIS)
                // Browsers always send Origin, and the seed server builds its URL from it.
                .generateOriginHeader(true)
                .withUTF8Validator(false)
                .build();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(
                        new HttpClientCodec(),
                        new HttpObjectAggregator(MAX_FRAME_BYTES),
                        new WebSocketClientProtocolHandler(config),
                        new ClientSession(target.wire(), userId, listener, ready));
            }
        });
        SocketAddress local = target.sources().next();
        ChannelFuture connecting = local == null ? b.connect(remote) : b.connect(remote, local);
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
                return;
            }
            // The WebSocket handshake has its own timeout; this one also covers protocol-level
            // readiness (Socket.IO's namespace connect), which Netty knows nothing about.
            Future<?> timeout = f.channel().eventLoop().schedule(() -> {
                if (ready.tryFailure(new TimeoutException("not ready after " + target.handshakeTimeout()))) {
                    f.channel().close();
                }
            }, target.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ready.addListener(done -> timeout.cancel(false));
        });
        return ready;
    }
}
