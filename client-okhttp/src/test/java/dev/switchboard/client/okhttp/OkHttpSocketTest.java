package dev.switchboard.client.okhttp;

import dev.switchboard.client.HandshakeRejectedException;
import dev.switchboard.client.transport.RecordingListener;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.WebSocket;
import okio.ByteString;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OkHttp listener's side of a socket: a message waits on the reader thread until requested,
 * an abort ends the wait, the server's close is answered, a refused upgrade keeps its status and body.
 */
class OkHttpSocketTest {
    private final RecordingListener listener = new RecordingListener(false);
    private final OkHttpSocket socket = new OkHttpSocket(listener);
    private final FakeOkHttpWebSocket ws = new FakeOkHttpWebSocket();

    private static Response response(int code, String subprotocol, String body) {
        Response.Builder response = new Response.Builder().request(new Request.Builder().url("http://127.0.0.1/").build())
                .protocol(Protocol.HTTP_1_1).code(code).message("status")
                .body(ResponseBody.create(body, MediaType.get("application/json")));
        return subprotocol == null ? response.build() : response.header("Sec-WebSocket-Protocol", subprotocol).build();
    }

    @Test
    void aMessageWaitsOnTheReaderThreadUntilItIsRequested() throws Exception {
        socket.onOpen(ws, response(101, "switchboard.v1", ""));
        assertThat(socket.opened()).isCompletedWithValue(socket);
        assertThat(socket.subprotocol()).isEqualTo("switchboard.v1");

        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> socket.onMessage(ws, "{\"n\":1}"));
        Thread.sleep(200);
        assertThat(reader).as("nothing requested: the reader waits").isNotDone();
        assertThat(listener.seen()).containsExactly("open");

        socket.request(1);
        reader.get(5, TimeUnit.SECONDS);
        assertThat(listener.seen()).containsExactly("open", "{\"n\":1}");
    }

    @Test
    void anAbortEndsTheWaitDropsTheMessageAndCancels() throws Exception {
        socket.onOpen(ws, response(101, "switchboard.v1", ""));
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> socket.onMessage(ws, "{\"n\":1}"));
        Thread.sleep(100);

        socket.abort();
        reader.get(5, TimeUnit.SECONDS);
        assertThat(listener.seen()).containsExactly("open");
        assertThat(ws.cancelled).isTrue();
    }

    @Test
    void theServersCloseIsPassedOnAndAnswered() {
        socket.onOpen(ws, response(101, "switchboard.v1", ""));
        socket.onMessage(ws, ByteString.encodeUtf8("binary"));
        socket.onClosing(ws, 4001, "token expired");
        assertThat(ws.closes).containsExactly(4001);

        OkHttpSocket other = new OkHttpSocket(new RecordingListener(false));
        FakeOkHttpWebSocket second = new FakeOkHttpWebSocket();
        other.onOpen(second, response(101, null, ""));
        other.onClosing(second, 1005, "");
        assertThat(second.closes).as("1005 may not be sent: answered with 1000").containsExactly(1000);
        assertThat(other.subprotocol()).isEmpty();
        assertThat(listener.seen()).containsExactly("open", "activity", "4001 token expired");
    }

    @Test
    void sendsGoToOkHttpAndFailWhenItRefuses() {
        socket.onOpen(ws, response(101, "switchboard.v1", ""));
        assertThat(socket.sendText("{\"type\":\"ping\"}")).isCompleted();
        ws.accepting = false;
        assertThat(socket.sendText("{\"type\":\"ping\"}")).isCompletedExceptionally();
        assertThat(ws.sent).containsExactly("{\"type\":\"ping\"}");
    }

    @Test
    void aRefusedUpgradeFailsTheOpeningWithItsStatusAndBody() {
        socket.onFailure(ws, new java.net.ProtocolException("Expected HTTP 101 response but was '401 status'"),
                response(401, null, "{\"error\":\"bad token\",\"code\":\"unauthorized\"}"));

        assertThat(socket.opened()).failsWithin(1, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOfSatisfying(HandshakeRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("unauthorized");
                });
        assertThat(listener.seen()).as("the listener hears nothing of a failed handshake").isEmpty();
    }

    /** A hand-written OkHttp {@link WebSocket} that records what is asked of it. */
    private static final class FakeOkHttpWebSocket implements WebSocket {
        final List<String> sent = new ArrayList<>();
        final List<Integer> closes = new ArrayList<>();
        volatile boolean cancelled;
        boolean accepting = true;

        @Override
        public Request request() {
            return new Request.Builder().url("http://127.0.0.1/").build();
        }

        @Override
        public long queueSize() {
            return 0;
        }

        @Override
        public boolean send(String text) {
            if (accepting) {
                sent.add(text);
            }
            return accepting;
        }

        @Override
        public boolean send(ByteString bytes) {
            return false;
        }

        @Override
        public boolean close(int code, String reason) {
            if (code == 1005) {
                throw new IllegalArgumentException("Code 1005 is reserved and may not be used.");
            }
            closes.add(code);
            return true;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
