package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDK listener's side of a connection: message parts, flow control, liveness. */
class ConnectionTest {
    private final List<String> frames = new ArrayList<>();
    private final List<String> ends = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000);
    private final Connection connection = new Connection(new Connection.Sink() {
        @Override
        public void frame(Connection c, String text) {
            frames.add(text);
        }

        @Override
        public void closed(Connection c, int code, String reason) {
            ends.add(code + " " + reason);
        }

        @Override
        public void failed(Connection c, Throwable error) {
            ends.add(error.getMessage());
        }
    }, clock::get);
    private final FakeWebSocket ws = new FakeWebSocket();

    @Test
    void aMessageInPartsIsJoinedAndPassedOnWhole() {
        connection.onOpen(ws);
        StringBuilder reused = new StringBuilder("{\"type\":\"pong\",");

        connection.onText(ws, reused, false);
        reused.setLength(0); // the JDK may reuse its buffer once onText returns
        reused.append("\"id\":\"r1\"");
        connection.onText(ws, reused, false);
        connection.onText(ws, "}", true);
        connection.onText(ws, "{\"type\":\"pong\"}", true);

        assertThat(frames).containsExactly("{\"type\":\"pong\",\"id\":\"r1\"}", "{\"type\":\"pong\"}");
    }

    @Test
    void partsAndControlFramesAskForMoreAtOnceWholeFramesOnlyWhenTheClientSays() {
        connection.onOpen(ws);
        assertThat(ws.requested).isEqualTo(1);

        connection.onText(ws, "{\"type\":", false);
        assertThat(ws.requested).isEqualTo(2);
        connection.onText(ws, "\"pong\"}", true);
        assertThat(ws.requested).as("a whole frame waits for the client").isEqualTo(2);
        connection.onPing(ws, ByteBuffer.allocate(0));
        connection.onPong(ws, ByteBuffer.allocate(0));
        connection.onBinary(ws, ByteBuffer.allocate(1), true);
        assertThat(ws.requested).isEqualTo(5);

        connection.requestNext();
        assertThat(ws.requested).isEqualTo(6);
    }

    @Test
    void everythingTheServerSendsCountsAsHearingFromIt() {
        connection.onOpen(ws);
        long opened = connection.lastHeardNanos();

        clock.set(2_000);
        connection.onPing(ws, ByteBuffer.allocate(0));
        assertThat(connection.lastHeardNanos()).isEqualTo(2_000).isGreaterThan(opened);
        clock.set(3_000);
        connection.onText(ws, "{", false);
        assertThat(connection.lastHeardNanos()).isEqualTo(3_000);
    }

    @Test
    void closesAndErrorsArePassedOn() {
        connection.onOpen(ws);

        connection.onClose(ws, 4001, "token expired");
        connection.onError(ws, new java.io.IOException("connection reset"));

        assertThat(ends).containsExactly("4001 token expired", "connection reset");
    }

    @Test
    void abortAndRequestBeforeTheHandshakeAreHarmless() {
        connection.requestNext();
        connection.abort();

        connection.attach(ws);
        connection.abort();
        assertThat(ws.aborted).isTrue();
    }
}
