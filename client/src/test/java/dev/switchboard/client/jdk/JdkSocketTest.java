package dev.switchboard.client.jdk;

import dev.switchboard.client.transport.RecordingListener;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDK listener's side of a socket: message parts joined, flow control in whole messages. */
class JdkSocketTest {
    private final RecordingListener listener = new RecordingListener(true);
    private final JdkSocket socket = new JdkSocket(listener);
    private final FakeWebSocket ws = new FakeWebSocket();

    @Test
    void aMessageInPartsIsJoinedAndPassedOnWhole() {
        socket.onOpen(ws);
        StringBuilder reused = new StringBuilder("{\"type\":\"pong\",");

        socket.onText(ws, reused, false);
        reused.setLength(0); // the JDK may reuse its buffer once onText returns
        reused.append("\"id\":\"r1\"");
        socket.onText(ws, reused, false);
        socket.onText(ws, "}", true);
        socket.onText(ws, "{\"type\":\"pong\"}", true);

        assertThat(listener.seen()).containsExactly("open", "activity", "activity", "{\"type\":\"pong\",\"id\":\"r1\"}",
                "{\"type\":\"pong\"}");
    }

    @Test
    void partsAndControlFramesAskForMoreAtOnceWholeMessagesOnlyWhenTheClientSays() {
        socket.onOpen(ws);
        assertThat(ws.requested).as("the listener asked for the first").isEqualTo(1);

        socket.onText(ws, "{\"type\":", false);
        assertThat(ws.requested).isEqualTo(2);
        socket.onText(ws, "\"pong\"}", true);
        assertThat(ws.requested).as("a whole message waits for the client").isEqualTo(2);
        socket.onPing(ws, ByteBuffer.allocate(0));
        socket.onPong(ws, ByteBuffer.allocate(0));
        socket.onBinary(ws, ByteBuffer.allocate(1), true);
        assertThat(ws.requested).isEqualTo(5);

        socket.request(1);
        assertThat(ws.requested).isEqualTo(6);
    }

    @Test
    void closesErrorsAndSendsGoThrough() {
        socket.onOpen(ws);
        socket.sendText("{\"type\":\"ping\"}").join();
        socket.onClose(ws, 4001, "token expired");
        socket.onError(ws, new java.io.IOException("connection reset"));
        socket.abort();

        assertThat(ws.sent).containsExactly("{\"type\":\"ping\"}");
        assertThat(listener.seen()).endsWith("4001 token expired", "connection reset");
        assertThat(ws.aborted).isTrue();
        assertThat(socket.subprotocol()).isEqualTo("switchboard.v1");
    }
}
