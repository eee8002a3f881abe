package dev.switchboard.transport;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Identity;
import dev.switchboard.metrics.Metrics;
import io.netty.channel.embedded.EmbeddedChannel;

/** Sessions on an {@link EmbeddedChannel}, for protocol tests in other packages. */
public final class TestSessions {
    private TestSessions() {
    }

    /** A session of {@code userId} on {@code channel}, writing through its own batcher, with no node behind it. */
    public static NettySession embedded(EmbeddedChannel channel, String id, String userId,
                                        WireProtocol.Outbound outbound) {
        return new NettySession(id, Identity.unverified(userId), channel, new OutboundBatcher(channel.eventLoop()),
                outbound, null, Metrics.NOOP, Clock.SYSTEM, 1000, 1 << 20, null);
    }
}
