package dev.switchboard.transport;

import dev.switchboard.broker.memory.MemoryBroker;
import dev.switchboard.core.Clock;
import dev.switchboard.history.HistoryOptions;
import dev.switchboard.hub.Hub;
import dev.switchboard.node.Node;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.transport.plain.PlainProtocol;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batcher's queue is bounded per connection: frames for a connection whose loop has not caught
 * up count against {@code --max-outbound-bytes}; one that would pass it is released, not queued, and
 * the connection closes as a slow consumer (4008) behind what was queued before.
 */
class SessionQueueBoundTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Hub hub = new Hub();
    private final Node node = Node.of(hub, new MemoryBroker(Clock.SYSTEM, new ManualScheduler(), HistoryOptions.defaults(), 1 << 16));
    private final NettySession session = TestSessions.embedded(channel, "c1", "bob",
            new PlainProtocol(null).outbound(), 1_000, node);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        node.close();
    }

    private static TextWebSocketFrame frame(int bytes) {
        return new TextWebSocketFrame("y".repeat(bytes));
    }

    private List<Object> written() {
        channel.runPendingTasks();
        channel.runPendingTasks();
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            out.add(o);
        }
        return out;
    }

    @Test
    void aFrameThatWouldPassTheBoundIsReleasedAndTheConnectionClosesAfterWhatWasQueued() {
        TextWebSocketFrame a = frame(400);
        TextWebSocketFrame b = frame(400);
        TextWebSocketFrame c = frame(400);
        session.send(a);
        session.send(b);
        session.send(c);
        assertThat(c.refCnt()).as("not queued: released at once").isZero();
        session.send(frame(10));

        List<Object> out = written();
        assertThat(out).hasSize(3);
        assertThat(((TextWebSocketFrame) out.get(0)).text()).hasSize(400);
        assertThat(((TextWebSocketFrame) out.get(1)).text()).hasSize(400);
        CloseWebSocketFrame close = (CloseWebSocketFrame) out.get(2);
        assertThat(close.statusCode()).isEqualTo(4008);
        assertThat(close.reasonText()).isEqualTo("slow consumer");
        out.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    @Test
    void whatTheLoopHasWrittenNoLongerCounts() {
        for (int round = 0; round < 10; round++) {
            session.send(frame(600));
            List<Object> out = written();
            assertThat(out).as("round %d", round).hasSize(1).first().isInstanceOf(TextWebSocketFrame.class);
            out.forEach(io.netty.util.ReferenceCountUtil::release);
        }
    }
}
