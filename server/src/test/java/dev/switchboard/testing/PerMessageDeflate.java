package dev.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The client side of permessage-deflate (RFC 7692) for the {@link RawWebSocketClient}: compresses
 * a message as a client would (raw deflate, sync flush, the trailing {@code 00 00 ff ff} removed),
 * and inflates the server's compressed messages. The server may keep its compression context
 * between messages (context takeover), so one instance inflates one connection's messages in order.
 */
public final class PerMessageDeflate {
    /** The offer a client makes; the server may keep its context, so no parameters are needed. */
    public static final String OFFER = "permessage-deflate";

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final Inflater inflater = new Inflater(true);

    /**
     * A message compressed with a fresh context (so it does not depend on earlier messages, as
     * with client_no_context_takeover), ready to be the payload of a frame with RSV1 set.
     */
    public static byte[] compress(byte[] message) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(message);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length || !deflater.needsInput());
            byte[] all = out.toByteArray();
            if (all.length < 4 || !Arrays.equals(all, all.length - 4, all.length, TAIL, 0, 4)) {
                throw new IllegalStateException("a sync flush must end with 00 00 ff ff");
            }
            return Arrays.copyOf(all, all.length - 4);
        } finally {
            deflater.end();
        }
    }

    /** Inflates one compressed message (the payload of a frame with RSV1) from the server. */
    public byte[] inflate(byte[] payload) {
        byte[] input = Arrays.copyOf(payload, payload.length + 4);
        System.arraycopy(TAIL, 0, input, payload.length, 4);
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (!inflater.needsInput()) {
                int n = inflater.inflate(buffer);
                out.write(buffer, 0, n);
                if (n == 0 && !inflater.needsInput()) {
                    throw new IllegalStateException("the server's compressed message does not inflate");
                }
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("the server's compressed message does not inflate", e);
        }
        return out.toByteArray();
    }
}
