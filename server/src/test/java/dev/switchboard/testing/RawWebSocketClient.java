package dev.switchboard.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written by hand over a {@link Socket}, for what a well-behaved client library
 * refuses to do: send invalid UTF-8, unmasked or oversized frames, fragmented control frames, frames
 * split at any byte; read every server frame as it is on the wire, including the close code; and
 * drop the TCP connection abruptly (RST) without a close frame.
 *
 * <p>Blocking and single-threaded: use one instance from one thread. Reads time out after
 * {@link Eventually#TIMEOUT}.
 */
public final class RawWebSocketClient implements AutoCloseable {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Map<String, String> handshakeHeaders;

    private RawWebSocketClient(Socket socket, InputStream in, Map<String, String> handshakeHeaders)
            throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.handshakeHeaders = Map.copyOf(handshakeHeaders);
    }

    /** Connects to {@code ws://127.0.0.1:port<pathAndQuery>} with no {@code Origin} header. */
    public static RawWebSocketClient connect(int port, String pathAndQuery) throws IOException {
        return connect(port, pathAndQuery, Map.of());
    }

    /**
     * Connects and performs the opening handshake by hand.
     *
     * @throws HandshakeFailed if the server does not answer 101 with the right accept key
     */
    public static RawWebSocketClient connect(int port, String pathAndQuery, Map<String, String> headers)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) Eventually.TIMEOUT.toMillis());
            socket.setSoTimeout((int) Eventually.TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            StringBuilder request = new StringBuilder()
                    .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Upgrade: websocket\r\n")
                    .append("Connection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));

            InputStream in = new BufferedInputStream(socket.getInputStream());
            String status = readLine(in);
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                responseHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            if (!status.startsWith("HTTP/1.1 101")) {
                throw new HandshakeFailed(status, responseHeaders, readBody(in, responseHeaders));
            }
            String accept = responseHeaders.get("sec-websocket-accept");
            if (!expectedAccept(key).equals(accept)) {
                throw new HandshakeFailed(status + " with a wrong Sec-WebSocket-Accept: " + accept,
                        responseHeaders, "");
            }
            return new RawWebSocketClient(socket, in, responseHeaders);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The headers of the server's 101 response, names in lower case. */
    public Map<String, String> handshakeHeaders() {
        return handshakeHeaders;
    }

    // --- sending ---------------------------------------------------------------------------

    /** One frame as a client sends it: masked with a random key, no reserved bits. */
    public static byte[] frame(boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, payload, true);
    }

    /**
     * Encodes any frame, valid or not.
     *
     * @param rsv the three reserved bits, 0–7
     * @param masked whether to mask (RFC 6455 requires it of clients)
     */
    public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcode & 0xF));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length <= 125) {
            frame.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(maskBit | 127);
            long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >>> shift) & 0xFF);
            }
        }
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.writeBytes(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i & 3]);
            }
        } else {
            frame.writeBytes(payload);
        }
        return frame.toByteArray();
    }

    /** Writes bytes as they are: one or many frames, or part of one. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        sendRaw(frame(fin, opcode, payload));
    }

    public void sendText(String text) throws IOException {
        sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A text frame with exactly these bytes, valid UTF-8 or not. */
    public void sendText(byte[] bytes) throws IOException {
        sendFrame(true, TEXT, bytes);
    }

    public void sendBinary(byte[] bytes) throws IOException {
        sendFrame(true, BINARY, bytes);
    }

    /** Many text messages written with one system call, so they reach the server back to back. */
    public void sendTexts(List<String> texts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String text : texts) {
            all.writeBytes(frame(true, TEXT, text.getBytes(StandardCharsets.UTF_8)));
        }
        sendRaw(all.toByteArray());
    }

    public void sendPing(byte[] payload) throws IOException {
        sendFrame(true, PING, payload);
    }

    public void sendPong(byte[] payload) throws IOException {
        sendFrame(true, PONG, payload);
    }

    public void sendClose(int code, String reason) throws IOException {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        sendFrame(true, CLOSE, payload);
    }

    // --- receiving -------------------------------------------------------------------------

    /** The next frame from the server, whatever it is. Fails if the server masked it. */
    public Frame readFrame() throws IOException {
        int first = readByte();
        int second = readByte();
        if ((second & 0x80) != 0) {
            throw new AssertionError("the server sent a masked frame (RFC 6455 5.1 forbids it)");
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = (long) readByte() << 8 | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | readByte();
            }
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new AssertionError("frame length " + length);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("connection closed inside a frame");
        }
        return new Frame((first & 0x80) != 0, (first >>> 4) & 0x7, first & 0xF, payload);
    }

    /** The next frame, which must be a complete text frame; returns its text. */
    public String readText() throws IOException {
        Frame frame = readFrame();
        if (frame.opcode() != TEXT || !frame.fin()) {
            throw new AssertionError("expected a text frame, got " + frame);
        }
        return frame.text();
    }

    /**
     * Reads until the server's close frame, skipping pings (a heartbeat may interleave); any data
     * frame before the close fails the test.
     */
    public CloseStatus awaitClose() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == CLOSE) {
                return new CloseStatus(frame.closeCode(), frame.closeReason());
            }
            if (frame.opcode() != PING) {
                throw new AssertionError("expected a close frame, got " + frame);
            }
        }
    }

    /** Whether the server has closed the TCP connection: a read ends the stream (or is reset). */
    public boolean awaitEndOfStream() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the server: closed too
        }
    }

    // --- closing ---------------------------------------------------------------------------

    /** Drops the TCP connection with a reset, no close frame: a client that crashed or vanished. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the server closed the connection");
        }
        return b;
    }

    /** The body of a response whose headers were just read: Content-Length bytes, or none. */
    private static String readBody(InputStream in, Map<String, String> headers) throws IOException {
        String length = headers.get("content-length");
        if (length == null) {
            return "";
        }
        byte[] body = in.readNBytes(Integer.parseInt(length.trim()));
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String expectedAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A frame as it came off the wire. */
    public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code, or 1005 (no status) when the close frame had none. */
        public int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : 1005;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        @Override
        public String toString() {
            String text = text();
            String body = opcode == TEXT
                    ? '"' + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + '"'
                    : payload.length + " bytes";
            return "Frame[opcode=" + opcode + ", fin=" + fin + ", rsv=" + rsv + ", " + body + "]";
        }
    }

    /** The server refused the WebSocket handshake. */
    public static final class HandshakeFailed extends IOException {
        private final String statusLine;
        private final Map<String, String> headers;
        private final String body;

        HandshakeFailed(String statusLine, Map<String, String> headers, String body) {
            super("handshake failed: " + statusLine + (body.isEmpty() ? "" : " " + body));
            this.statusLine = statusLine;
            this.headers = Map.copyOf(headers);
            this.body = body;
        }

        public String statusLine() {
            return statusLine;
        }

        /** The HTTP status code of the refusal. */
        public int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        /** The response body (Content-Length bytes as UTF-8), empty when there was none. */
        public String body() {
            return body;
        }

        public Map<String, String> headers() {
            return headers;
        }
    }
}
