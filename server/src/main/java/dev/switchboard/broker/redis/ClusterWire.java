package dev.switchboard.broker.redis;

import dev.switchboard.core.Forwarded;
import dev.switchboard.core.Message;
import dev.switchboard.core.Publication;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes nodes exchange through Redis. Every frame starts with one ASCII type byte:
 * <ul>
 *   <li>{@code P<seq> <epoch> <body>} — a publication on a user's channel; the Lua script writes the
 *       prefix, the node writes the {@link #body} (also what the history stream keeps);</li>
 *   <li>{@code R<total> <origin node>} — presence: the user now has {@code total} connections;</li>
 *   <li>{@code D} — disconnect the user's connections: request id, origin node, code, reason;</li>
 *   <li>{@code A} — on a node's channel: counts one node reports, each a request id and a count;</li>
 *   <li>{@code T} — on a node's channel: a receipt for one of its connections;</li>
 *   <li>{@code F} — on a node's channel: a request forwarded to it (request id, origin node,
 *       connection, identity, the request's bytes);</li>
 *   <li>{@code W} — on a node's channel: the answer to a request it forwarded (request id, status,
 *       body);</li>
 *   <li>{@code Z} — on a node's channel: the node's own probe.</li>
 * </ul>
 * Binary fields are big-endian; strings are a 4-byte length (−1 for null) and UTF-8. A frame that
 * does not parse raises {@link IllegalArgumentException}. Stateless and thread-safe.
 */
final class ClusterWire {
    static final byte PUBLICATION = 'P';
    static final byte PRESENCE = 'R';
    static final byte DISCONNECT = 'D';
    static final byte ACK = 'A';
    static final byte RECEIPT = 'T';
    static final byte FORWARD = 'F';
    static final byte FORWARD_ANSWER = 'W';
    static final byte PROBE = 'Z';

    private ClusterWire() {
    }

    /** What a node adds to a publication before the script places it: who asked, and the payload. */
    static byte[] body(Publication p, long requestId, String origin) {
        byte[] message = p.message().text();
        Writer out = new Writer(64 + message.length);
        out.putLong(requestId).putString(origin).putLong(p.timestampMillis()).putString(p.from());
        Publication.ReceiptRequest receipt = p.receipt();
        out.putString(receipt == null ? null : receipt.connectionId())
                .putString(receipt == null ? null : receipt.requestId());
        out.type((byte) (p.message().isString() ? 1 : 0));
        out.putBytes(message);
        return out.done();
    }

    /** A decoded publication body. */
    record Body(long requestId, String origin, Publication publication) {
    }

    /** Decodes a {@link #body} as a publication to {@code userId} placed at {@code seq} of {@code epoch}. */
    static Body parseBody(String userId, long seq, String epoch, ByteBuffer in) {
        try {
            long requestId = in.getLong();
            String origin = getString(in);
            long timestamp = in.getLong();
            String from = getString(in);
            String receiptConnection = getString(in);
            String receiptRequest = getString(in);
            boolean string = in.get() == 1;
            byte[] text = getBytes(in);
            Message message = string ? Message.ofString(text) : Message.ofJson(text);
            Publication.ReceiptRequest receipt = receiptConnection == null ? null
                    : new Publication.ReceiptRequest(receiptConnection, receiptRequest);
            return new Body(requestId, origin, new Publication(userId, message, from, seq, epoch, timestamp, receipt));
        } catch (BufferUnderflowException | NullPointerException e) {
            throw new IllegalArgumentException("truncated publication", e);
        }
    }

    /** Reads an ASCII field the Lua script wrote, up to and past the next space. */
    static String asciiField(ByteBuffer in) {
        StringBuilder field = new StringBuilder(16);
        while (true) {
            if (!in.hasRemaining()) {
                throw new IllegalArgumentException("truncated frame");
            }
            byte b = in.get();
            if (b == ' ') {
                return field.toString();
            }
            field.append((char) (b & 0xff));
        }
    }

    /** Reads the rest of the frame as ASCII. */
    static String asciiRest(ByteBuffer in) {
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        return new String(rest, StandardCharsets.US_ASCII);
    }

    static byte[] disconnect(long requestId, String origin, int code, String reason) {
        return new Writer(64).type(DISCONNECT).putLong(requestId).putString(origin).putInt(code)
                .putString(reason).done();
    }

    /** A decoded disconnect request. */
    record Disconnect(long requestId, String origin, int code, String reason) {
    }

    static Disconnect parseDisconnect(ByteBuffer in) {
        try {
            return new Disconnect(in.getLong(), getString(in), in.getInt(), getString(in));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated disconnect", e);
        }
    }

    static byte[] receipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
        return new Writer(96).type(RECEIPT).putString(request.connectionId()).putString(request.requestId())
                .putString(to).putLong(seq).putString(recipientConnectionId).done();
    }

    /** A decoded receipt. */
    record Receipt(Publication.ReceiptRequest request, String to, long seq, String recipientConnectionId) {
    }

    static Receipt parseReceipt(ByteBuffer in) {
        try {
            return new Receipt(new Publication.ReceiptRequest(getString(in), getString(in)), getString(in),
                    in.getLong(), getString(in));
        } catch (BufferUnderflowException | NullPointerException e) {
            throw new IllegalArgumentException("truncated receipt", e);
        }
    }

    static byte[] forward(long requestId, String origin, String connectionId, String userId, byte[] request) {
        return new Writer(64 + request.length).type(FORWARD).putLong(requestId).putString(origin)
                .putString(connectionId).putString(userId).putBytes(request).done();
    }

    /** A decoded forwarded request. */
    record Forward(long requestId, String origin, String connectionId, String userId, byte[] request) {
    }

    static Forward parseForward(ByteBuffer in) {
        try {
            Forward f = new Forward(in.getLong(), getString(in), getString(in), getString(in), getBytes(in));
            if (f.origin() == null || f.connectionId() == null || f.request() == null) {
                throw new IllegalArgumentException("incomplete forwarded request");
            }
            return f;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated forwarded request", e);
        }
    }

    static byte[] forwardAnswer(long requestId, Forwarded answer) {
        return new Writer(16 + answer.body().length).type(FORWARD_ANSWER).putLong(requestId)
                .putInt(answer.status()).putBytes(answer.body()).done();
    }

    /** A decoded answer to a forwarded request. */
    record ForwardAnswer(long requestId, Forwarded answer) {
    }

    static ForwardAnswer parseForwardAnswer(ByteBuffer in) {
        try {
            return new ForwardAnswer(in.getLong(), new Forwarded(in.getInt(), getBytes(in)));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated forwarded answer", e);
        }
    }

    static byte[] probe(long nonce) {
        return new Writer(9).type(PROBE).putLong(nonce).done();
    }

    private static String getString(ByteBuffer in) {
        byte[] bytes = getBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] getBytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** A growable big-endian writer. */
    private static final class Writer {
        private ByteBuffer buffer;

        Writer(int capacity) {
            buffer = ByteBuffer.allocate(capacity);
        }

        Writer type(byte type) {
            ensure(1);
            buffer.put(type);
            return this;
        }

        Writer putLong(long value) {
            ensure(8);
            buffer.putLong(value);
            return this;
        }

        Writer putInt(int value) {
            ensure(4);
            buffer.putInt(value);
            return this;
        }

        Writer putString(String value) {
            return putBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }

        Writer putBytes(byte[] value) {
            ensure(4 + (value == null ? 0 : value.length));
            if (value == null) {
                buffer.putInt(-1);
            } else {
                buffer.putInt(value.length).put(value);
            }
            return this;
        }

        byte[] done() {
            byte[] out = new byte[buffer.position()];
            buffer.flip();
            buffer.get(out);
            return out;
        }

        private void ensure(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }
    }
}
