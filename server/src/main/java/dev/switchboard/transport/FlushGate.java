package dev.switchboard.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Holds a new connection's output — the handshake's 101 and whatever follows it — until the
 * connection is counted cluster-wide, so that a client that has read its 101 is counted by every
 * node. Writes pass through into the channel's outbound buffer (where the high-water mark still
 * bounds them); only flushes wait. It sits next to the socket (after TLS, which encrypts only what
 * is flushed) and is removed when it opens. Confined to the channel's event loop.
 */
final class FlushGate extends ChannelOutboundHandlerAdapter {
    static final String NAME = "flushGate";

    private boolean flushHeld;

    @Override
    public void flush(ChannelHandlerContext ctx) {
        flushHeld = true;
    }

    /** Puts a gate on {@code channel}'s output, next to the socket. Runs on the loop. */
    static FlushGate close(Channel channel) {
        FlushGate gate = new FlushGate();
        if (channel.pipeline().get(SwitchboardChannelInitializer.TLS) != null) {
            channel.pipeline().addAfter(SwitchboardChannelInitializer.TLS, NAME, gate);
        } else {
            channel.pipeline().addFirst(NAME, gate);
        }
        return gate;
    }

    /** Removes the gate and lets the held output go. Runs on the loop. */
    void open(Channel channel) {
        if (channel.pipeline().get(NAME) == this) {
            channel.pipeline().remove(this);
        }
        if (flushHeld) {
            channel.flush();
        }
    }
}
