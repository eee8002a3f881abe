package dev.switchboard.transport;

import dev.switchboard.core.Clock;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.node.Node;
import dev.switchboard.transport.http.HttpService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The network side: binds the port, owns the event loops. Native epoll when available, NIO
 * otherwise.
 */
public final class TransportServer implements AutoCloseable {
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final ChannelGroup channels;
    private final boolean epoll;

    private TransportServer(EventLoopGroup acceptor, EventLoopGroup workers, Channel serverChannel,
                            ChannelGroup channels, boolean epoll) {
        this.acceptor = acceptor;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.channels = channels;
        this.epoll = epoll;
    }

    /** Binds and starts serving. Blocks until the port is bound (call it off any event loop). */
    public static TransportServer bind(TransportOptions options, TransportSecurity security, Node node,
                                       Metrics metrics, Clock clock, HttpService http, List<WireProtocol> protocols)
            throws InterruptedException {
        boolean epoll = options.nativeTransport() && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerSocketChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("switchboard-accept"), io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(options.ioThreads(),
                new DefaultThreadFactory("switchboard-io"), io);
        ChannelGroup channels = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
        try {
            WebSocketUpgrade upgrade = new WebSocketUpgrade(options, security, node, metrics, clock, protocols);
            int high = options.maxOutboundBytes();
            Channel channel = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
                    // Idle connections dominate memory: start reads small and let busy ones grow.
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 512, 65536))
                    .childHandler(new SwitchboardChannelInitializer(options, security, upgrade, http, channels))
                    .bind(new InetSocketAddress(options.host(), options.port()))
                    .sync()
                    .channel();
            return new TransportServer(acceptor, workers, channel, channels, epoll);
        } catch (Exception e) {
            acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof java.io.IOException failed) {
                // Netty rethrows bind failures as they are (checked), e.g. "bind(..) failed with error(-98): Address already in use".
                throw new java.io.UncheckedIOException("cannot listen on " + options.host() + ":" + options.port() + ": "
                        + bindReason(failed) + " (see --host and --port)", failed);
            }
            throw e;
        }
    }

    private static String bindReason(java.io.IOException e) {
        String message = String.valueOf(e.getMessage());
        int colon = message.lastIndexOf("): ");
        String reason = colon >= 0 ? message.substring(colon + 3) : message;
        return reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Whether native epoll is in use. */
    public boolean isNative() {
        return epoll;
    }

    /** Stops accepting new connections; open ones keep working. Blocks until the port is closed. */
    public void stopAccepting() {
        serverChannel.close().awaitUninterruptibly();
    }

    /**
     * Waits up to {@code timeout} for the WebSocket connections (already told to close) to finish
     * closing, then closes whatever is left and stops the event loops. Blocks.
     */
    public void shutdown(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        stopAccepting();
        channels.newCloseFuture(channel -> channel.pipeline().get(SessionHandler.class) != null)
                .awaitUninterruptibly(Math.max(0, timeout.toMillis()));
        channels.close().awaitUninterruptibly(remainingMillis(deadline));
        var a = acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        var w = workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        a.awaitUninterruptibly(remainingMillis(deadline));
        w.awaitUninterruptibly(remainingMillis(deadline));
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
