package dev.switchboard.transport;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Identity;
import dev.switchboard.metrics.Metrics;
import dev.switchboard.node.Node;
import io.netty.channel.embedded.EmbeddedChannel;

/** Sessions on an {@link EmbeddedChannel}, for protocol tests in other packages. */
public final class TestSessions {
    private TestSessions() {
    }

    /** A session of {@code userId} on {@code channel}, writing through its own batcher, with no node behind it. */
    public static NettySession embedded(EmbeddedChannel channel, String id, String userId,
                                        WireProtocol.Outbound outbound) {
        return embedded(channel, id, userId, outbound, 1 << 20);
    }

    /** Like {@link #embedded(EmbeddedChannel, String, String, WireProtocol.Outbound)}, with at most {@code maxQueuedBytes} waiting. */
    public static NettySession embedded(EmbeddedChannel channel, String id, String userId,
                                        WireProtocol.Outbound outbound, long maxQueuedBytes) {
        return embedded(channel, id, userId, outbound, maxQueuedBytes, null);
    }

    /** A session that can also close: {@code node} is told when it does. */
    public static NettySession embedded(EmbeddedChannel channel, String id, String userId,
                                        WireProtocol.Outbound outbound, long maxQueuedBytes, Node node) {
        return new NettySession(id, Identity.unverified(userId), channel, new OutboundBatcher(channel.eventLoop()),
                outbound, node, Metrics.NOOP, Clock.SYSTEM, 1000, maxQueuedBytes, null);
    }
}
