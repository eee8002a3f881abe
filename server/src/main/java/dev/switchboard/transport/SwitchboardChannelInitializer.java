package dev.switchboard.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The pipeline of a new connection, which reads as the architecture: HTTP codec → aggregator →
 * {@link HttpRequestHandler} (routes HTTP or upgrades). After an upgrade the HTTP handlers give way
 * to: WebSocket decoder → UTF-8 validator → fragment aggregator → {@link SessionHandler}.
 */
final class SwitchboardChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** The longest request line accepted (414 above). */
    static final int MAX_REQUEST_LINE = 8192;
    /** The most header bytes accepted (431 above). */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final TransportOptions options;
    private final WebSocketUpgrade upgrade;
    private final HttpService service;
    private final ChannelGroup channels;

    SwitchboardChannelInitializer(TransportOptions options, WebSocketUpgrade upgrade, HttpService service,
                                  ChannelGroup channels) {
        this.options = options;
        this.upgrade = upgrade;
        this.service = service;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channels.add(channel);
        channel.pipeline()
                .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_REQUEST_LINE)
                        .setMaxHeaderSize(MAX_HEADER_BYTES)))
                .addLast("httpAggregator", new JsonHttpObjectAggregator(options.maxHttpBodyBytes()))
                .addLast("httpHandler", new HttpRequestHandler(upgrade, service));
    }
}
