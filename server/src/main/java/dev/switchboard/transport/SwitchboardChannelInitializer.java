package dev.switchboard.transport;

import dev.switchboard.transport.http.HttpRequestHandler;
import dev.switchboard.transport.http.HttpService;
import dev.switchboard.transport.http.JsonHttpObjectAggregator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

/**
 * The pipeline of a new connection, which reads as the architecture: [TLS] → HTTP codec →
 * [WebSocket compression negotiation] → aggregator → {@link HttpRequestHandler} (routes HTTP or
 * upgrades). After an upgrade the HTTP handlers give way to: WebSocket decoder → [inflater] →
 * UTF-8 validator → fragment aggregator → {@link SessionHandler}.
 */
final class SwitchboardChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** The longest request line accepted (414 above). */
    static final int MAX_REQUEST_LINE = 8192;
    /** The name of the TLS handler, first in the pipeline when TLS is on. */
    static final String TLS = "tls";

    private final TransportOptions options;
    private final TransportSecurity security;
    private final WebSocketUpgrade upgrade;
    private final HttpService service;
    private final ChannelGroup channels;

    SwitchboardChannelInitializer(TransportOptions options, TransportSecurity security, WebSocketUpgrade upgrade,
                                  HttpService service, ChannelGroup channels) {
        this.options = options;
        this.security = security;
        this.upgrade = upgrade;
        this.service = service;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channels.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        if (security.ssl() != null) {
            pipeline.addLast(TLS, security.ssl().newHandler(channel.alloc()));
        }
        pipeline.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(options.maxHeaderBytes())));
        if (options.permessageDeflate()) {
            // Bounds each inflated frame; the fragment aggregator bounds the whole message.
            pipeline.addLast("deflate", new WebSocketServerCompressionHandler(options.maxMessageBytes()));
        }
        pipeline.addLast("httpAggregator", new JsonHttpObjectAggregator(options.maxHttpBodyBytes()))
                .addLast("httpHandler", new HttpRequestHandler(upgrade, service, options.handshakeTimeout()));
    }
}
