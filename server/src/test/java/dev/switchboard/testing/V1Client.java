package dev.switchboard.testing;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw {@code switchboard.v1} client for testing the server's side of docs/PROTOCOL.md: a
 * {@link JdkWebSocketClient} that offers the subprotocol, checks that the server echoed it and
 * that the first frame is a {@code welcome}, and reads every later frame as a {@link V1Frame}.
 * It does nothing a real client library does by itself: no automatic {@code received}, no
 * reconnects, no dropping of seqs it saw already — so the test sees exactly what the server sent.
 */
public final class V1Client implements AutoCloseable {
    public static final String SUBPROTOCOL = "switchboard.v1";

    private static final AtomicLong PINGS = new AtomicLong();

    private final JdkWebSocketClient socket;
    private final V1Frame welcome;

    private V1Client(JdkWebSocketClient socket, V1Frame welcome) {
        this.socket = socket;
        this.welcome = welcome;
    }

    /** {@code ws://127.0.0.1:port/?userId=…}; a send-only connection when userId is null. */
    public static V1Client connect(int port, String userId) {
        return connect(JdkWebSocketClient.uri(port, userId), Map.of());
    }

    /** A resuming connection: {@code ?userId=…&since=…&epoch=…} (epoch omitted when null). */
    public static V1Client resume(int port, String userId, long since, String epoch) {
        return connect(resumeUri(port, userId, Long.toString(since), epoch), Map.of());
    }

    public static URI resumeUri(int port, String userId, String since, String epoch) {
        StringBuilder query = new StringBuilder("?userId=").append(encode(userId)).append("&since=").append(encode(since));
        if (epoch != null) {
            query.append("&epoch=").append(encode(epoch));
        }
        return URI.create("ws://127.0.0.1:" + port + "/" + query);
    }

    /** Connects offering {@code switchboard.v1} and reads the welcome. */
    public static V1Client connect(URI uri, Map<String, String> headers) {
        JdkWebSocketClient socket = JdkWebSocketClient.connect(uri, headers, List.of(SUBPROTOCOL));
        try {
            if (!SUBPROTOCOL.equals(socket.subprotocol())) {
                throw new AssertionError("the server did not echo " + SUBPROTOCOL + " but \"" + socket.subprotocol() + '"');
            }
            V1Frame first = V1Frame.parse(socket.next());
            if (!"welcome".equals(first.type())) {
                throw new AssertionError("the first frame is not a welcome: " + first);
            }
            return new V1Client(socket, first);
        } catch (RuntimeException | AssertionError e) {
            socket.close();
            throw e;
        }
    }

    /** The welcome the server sent first. */
    public V1Frame welcome() {
        return welcome;
    }

    public String connectionId() {
        return welcome.text("connectionId");
    }

    public String epoch() {
        return welcome.text("epoch");
    }

    /** The next frame; fails if none comes in time. */
    public V1Frame next() {
        return V1Frame.parse(socket.next());
    }

    /** The next frame, which must be of {@code type}. */
    public V1Frame next(String type) {
        V1Frame frame = next();
        if (!type.equals(frame.type())) {
            throw new AssertionError("expected a " + type + " frame, got " + frame);
        }
        return frame;
    }

    /**
     * The next frame of {@code type}, past any presence events: in a cluster the close of the user's
     * own earlier connection is counted through Redis and its event may reach a newer connection.
     */
    public V1Frame nextPastPresence(String type) {
        V1Frame frame = next();
        while (frame.type().equals("presence") && !type.equals("presence")) {
            frame = next();
        }
        if (!type.equals(frame.type())) {
            throw new AssertionError("expected a " + type + " frame, got " + frame);
        }
        return frame;
    }

    /** The next {@code count} frames, which must all be of {@code type}. */
    public List<V1Frame> next(String type, int count) {
        List<V1Frame> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(next(type));
        }
        return frames;
    }

    /** Frames received and not yet taken, without waiting. */
    public List<V1Frame> pending() {
        return socket.pending().stream().map(V1Frame::parse).toList();
    }

    /** Sends any text frame as it is. */
    public V1Client sendText(String text) {
        socket.send(text);
        return this;
    }

    /** Sends any bytes in one binary frame. */
    public V1Client sendBinary(byte[] data) {
        socket.sendBinary(data);
        return this;
    }

    /** {@code {"type":"send","id":id,"to":to,"message":<messageJson>}}; id omitted when null. */
    public V1Client send(String id, String to, String messageJson) {
        return sendText(sendRequest(id, to, messageJson, false));
    }

    /** A send asking for receipts. */
    public V1Client sendWithReceipt(String id, String to, String messageJson) {
        return sendText(sendRequest(id, to, messageJson, true));
    }

    public static String sendRequest(String id, String to, String messageJson, boolean receipt) {
        return "{\"type\":\"send\"" + (id == null ? "" : ",\"id\":" + quote(id)) + ",\"to\":" + quote(to)
                + ",\"message\":" + messageJson + (receipt ? ",\"receipt\":true" : "") + "}";
    }

    /** {@code {"type":"received","seq":seq}} */
    public V1Client received(long seq) {
        return sendText("{\"type\":\"received\",\"seq\":" + seq + "}");
    }

    /** {@code {"type":"presence","id":id,"user":user}} */
    public V1Client presence(String id, String user) {
        return sendText("{\"type\":\"presence\",\"id\":" + quote(id) + ",\"user\":" + quote(user) + "}");
    }

    /** {@code {"type":"ping","id":id}} */
    public V1Client ping(String id) {
        return sendText("{\"type\":\"ping\",\"id\":" + quote(id) + "}");
    }

    /**
     * Proves that nothing the server had queued for this connection is still unread: pings, and
     * requires the very next frame to be the answering pong. Frames other connections cause (presence
     * events, receipts) are covered once their cause has been processed by the server.
     */
    public void assertNothingMore() {
        String id = "quiet-" + PINGS.incrementAndGet();
        ping(id);
        V1Frame frame = next();
        if (!"pong".equals(frame.type()) || !id.equals(frame.text("id"))) {
            throw new AssertionError("expected nothing before the pong of " + id + ", got " + frame);
        }
    }

    /** The underlying socket (close status, pings, raw texts). */
    public JdkWebSocketClient socket() {
        return socket;
    }

    /** Drops the TCP connection without a close frame. */
    public void abort() {
        socket.abort();
    }

    /** Closes normally; returns once the server answered, so every frame it sent before is received. */
    @Override
    public void close() {
        socket.close();
    }

    public static String quote(String text) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
