package dev.switchboard.transport.v1;

import dev.switchboard.transport.NettySession;
import dev.switchboard.transport.TestSessions;

import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;
import dev.switchboard.core.Recovery;
import dev.switchboard.core.StreamPosition;
import dev.switchboard.hub.Hub;
import dev.switchboard.hub.SessionEvent;
import dev.switchboard.broker.memory.MemoryBroker;
import dev.switchboard.core.Clock;
import dev.switchboard.history.HistoryOptions;
import dev.switchboard.node.Node;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.V1Frame;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recovery guarantee of a switchboard.v1 connection, deterministically: what arrives while
 * the welcome is not yet out is held back, then written after the welcome and the missed messages,
 * each seq once and in order. (The integration tests hit this window only by chance.)
 */
class EnvelopeOutboundTest {
    private static final String EPOCH = "e1";

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EnvelopeEncoder encoder = new EnvelopeEncoder(ByteBufAllocator.DEFAULT);
    private final EnvelopeOutbound outbound = new EnvelopeOutbound(encoder);
    private final NettySession session = TestSessions.embedded(channel, "c1", "bob", outbound);

    private final Hub hub = new Hub();

    {
        hub.add(session);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static Publication at(long seq, boolean receipt) {
        Publication p = Publication.of("bob", Message.ofString("m" + seq), "alice",
                receipt ? new Publication.ReceiptRequest("sender", "r" + seq) : null);
        return p.at(seq, EPOCH, 1000 + seq);
    }

    /** Delivers as the node does: through the hub, which shares and then releases the encoded frame. */
    private void deliverLive(Publication publication) {
        assertThat(hub.deliver(publication)).isEqualTo(1);
    }

    private List<V1Frame> written() throws Exception {
        channel.runPendingTasks();
        List<V1Frame> frames = new ArrayList<>();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            TextWebSocketFrame frame = (TextWebSocketFrame) out;
            frames.add(V1Frame.parse(frame.text()));
            frame.release();
        }
        return frames;
    }

    private static List<String> describe(List<V1Frame> frames) {
        List<String> out = new ArrayList<>();
        for (V1Frame f : frames) {
            switch (f.type()) {
                case "welcome" -> out.add("welcome seq=" + f.number("seq")
                        + (f.has("recovered") ? " recovered=" + f.bool("recovered") + " missed=" + f.number("missed") : ""));
                case "message" -> out.add("message " + f.number("seq"));
                case "presence" -> out.add("presence " + f.number("connections"));
                default -> out.add(f.type());
            }
        }
        return out;
    }

    @Test
    void whatArrivesBeforeTheWelcomeIsHeldBackThenWrittenOnceInOrderAfterTheMissedMessages() throws Exception {
        // Registered at seq 2 (client resumes from 2); 3 and 4 were published before the history
        // read, 5 after it: 3 and 4 arrive both live (held back) and as missed messages.
        deliverLive(at(3, false));
        deliverLive(at(4, false));
        outbound.deliverEvent(session, new SessionEvent.Presence("bob", true, 2));
        deliverLive(at(5, false));
        assertThat(written()).as("nothing before the welcome").isEmpty();

        outbound.start(session, new Recovery(true, List.of(at(3, false), at(4, false)), new StreamPosition(4, EPOCH)), true);

        assertThat(describe(written())).containsExactly(
                "welcome seq=4 recovered=true missed=2", "message 3", "message 4", "presence 2", "message 5");
    }

    @Test
    void afterTheWelcomeLiveMessagesFlowAndAnyRepeatedSeqIsDropped() throws Exception {
        outbound.start(session, new Recovery(false, List.of(), new StreamPosition(7, EPOCH)), false);
        deliverLive(at(8, false));
        deliverLive(at(8, false));
        deliverLive(at(6, false));
        deliverLive(at(9, false));

        assertThat(describe(written())).containsExactly("welcome seq=7", "message 8", "message 9");
    }

    @Test
    void aConnectionThatJoinsABusyStreamStartsRightBeforeItsFirstLiveMessage() throws Exception {
        // Registered when the stream was at 10; 11 and 12 arrived before the position (12) was read.
        deliverLive(at(11, false));
        deliverLive(at(12, false));
        outbound.start(session, new Recovery(false, List.of(), new StreamPosition(12, EPOCH)), false);

        assertThat(describe(written())).containsExactly("welcome seq=10", "message 11", "message 12");
    }

    @Test
    void aNotRecoveredResumeReplaysNothingButKeepsWhatArrivedLive() throws Exception {
        deliverLive(at(21, false));
        outbound.start(session, new Recovery(false, List.of(), new StreamPosition(21, EPOCH)), true);

        assertThat(describe(written())).containsExactly("welcome seq=20 recovered=false missed=0", "message 21");
    }

    @Test
    void receiptsCanBeConfirmedOnceForWhatThisConnectionWasSent() throws Exception {
        outbound.start(session, new Recovery(false, List.of(), new StreamPosition(0, EPOCH)), false);
        deliverLive(at(1, true));
        deliverLive(at(2, false));
        written();

        assertThat(outbound.confirm(1)).isEqualTo(new Publication.ReceiptRequest("sender", "r1"));
        assertThat(outbound.confirm(1)).as("only once").isNull();
        assertThat(outbound.confirm(2)).as("asked for no receipt").isNull();
        assertThat(outbound.confirm(99)).as("never sent here").isNull();
    }

    @Test
    void onlyTheNewestPendingReceiptsAreKept() throws Exception {
        outbound.start(session, new Recovery(false, List.of(), new StreamPosition(0, EPOCH)), false);
        int sent = EnvelopeOutbound.MAX_PENDING_RECEIPTS + 10;
        for (int seq = 1; seq <= sent; seq++) {
            deliverLive(at(seq, true));
        }
        written();

        assertThat(outbound.confirm(10)).as("among the oldest, let go").isNull();
        assertThat(outbound.confirm(11)).as("the oldest kept").isNotNull();
        assertThat(outbound.confirm(sent)).isEqualTo(new Publication.ReceiptRequest("sender", "r" + sent));
    }

    @Test
    void heldBackMessagesBeyondTheConnectionsBoundAreNotDeliveredAndCloseItAsASlowConsumer() throws Exception {
        EmbeddedChannel small = new EmbeddedChannel();
        Hub smallHub = new Hub();
        Node node = Node.of(smallHub, new MemoryBroker(Clock.SYSTEM, new ManualScheduler(), HistoryOptions.defaults(), 1 << 16));
        EnvelopeOutbound bounded = new EnvelopeOutbound(encoder);
        NettySession s = TestSessions.embedded(small, "c2", "bob", bounded, 1_000, node);
        smallHub.add(s);
        try {
            Publication big = Publication.of("bob", Message.ofString("x".repeat(600)), "alice", null).at(1, EPOCH, 1);
            assertThat(smallHub.deliver(big)).as("held back: fits").isEqualTo(1);
            assertThat(smallHub.deliver(big.at(2, EPOCH, 2))).as("would pass the bound: not delivered").isZero();
            small.runPendingTasks();
            small.runPendingTasks();

            Object first = small.readOutbound();
            assertThat(first).as("nothing held back is written; the connection closes")
                    .isInstanceOfSatisfying(CloseWebSocketFrame.class, close -> {
                        assertThat(close.statusCode()).isEqualTo(4008);
                        assertThat(close.reasonText()).isEqualTo("slow consumer");
                    });
            ((CloseWebSocketFrame) first).release();
            assertThat(smallHub.deliver(big.at(3, EPOCH, 3))).as("closing: takes nothing more").isZero();
        } finally {
            small.finishAndReleaseAll();
            node.close();
        }
    }
}
