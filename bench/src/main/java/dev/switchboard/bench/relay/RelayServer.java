package dev.switchboard.bench.relay;

import dev.switchboard.bench.client.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The minimal Netty relay baseline: Netty's own HTTP and WebSocket handlers plus {@link RelayHandler}.
 * Accepts the plain contract on any path ({@code /}, {@code /ws}, …) with {@code ?userId=}.
 */
public final class RelayServer implements AutoCloseable {

    private static final int MAX_FRAME_BYTES = 64 * 1024;

    private final EventLoopGroup group;
    private final Channel listener;

    private RelayServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    /** Binds and starts serving; port 0 picks a free port (see {@link #port()}). */
    public static RelayServer start(String host, int port, int threads) throws InterruptedException {
        EventLoopGroup group = NettyTransport.newGroup(threads);
        RelayRegistry registry = new RelayRegistry();
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .withUTF8Validator(false)
                .build();
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(NettyTransport.serverSocketChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(
                                    new HttpServerCodec(),
                                    new HttpObjectAggregator(MAX_FRAME_BYTES),
                                    new WebSocketServerProtocolHandler(ws),
                                    new RelayHandler(registry));
                        }
                    })
                    .bind(host, port).sync().channel();
            return new RelayServer(group, listener);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public Channel listener() {
        return listener;
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
