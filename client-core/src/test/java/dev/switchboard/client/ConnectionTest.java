package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The transport listener's side of a connection: flow control, liveness, the end. */
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
    private final FakeSocket socket = new FakeSocket();

    @Test
    void theOpeningAsksForTheFirstMessageEachNextOneOnlyWhenTheClientSays() {
        connection.onOpen(socket);
        assertThat(socket.requested).isEqualTo(1);

        connection.onText("{\"type\":\"pong\"}");
        connection.onActivity();
        assertThat(socket.requested).as("a message waits for the client").isEqualTo(1);
        assertThat(frames).containsExactly("{\"type\":\"pong\"}");

        connection.requestNext();
        assertThat(socket.requested).isEqualTo(2);
    }

    @Test
    void everythingTheServerSendsCountsAsHearingFromIt() {
        connection.onOpen(socket);
        long opened = connection.lastHeardNanos();

        clock.set(2_000);
        connection.onActivity();
        assertThat(connection.lastHeardNanos()).isEqualTo(2_000).isGreaterThan(opened);
        clock.set(3_000);
        connection.onText("{}");
        assertThat(connection.lastHeardNanos()).isEqualTo(3_000);
    }

    @Test
    void closesAndErrorsArePassedOn() {
        connection.onOpen(socket);

        connection.onClose(4001, "token expired");
        connection.onError(new java.io.IOException("connection reset"));

        assertThat(ends).containsExactly("4001 token expired", "connection reset");
        assertThat(connection.closeReceived()).isTrue();
    }

    @Test
    void abortAndRequestBeforeTheHandshakeAreHarmless() {
        connection.requestNext();
        connection.abort();

        connection.attach(socket);
        connection.abort();
        assertThat(socket.aborted).isTrue();
    }
}
