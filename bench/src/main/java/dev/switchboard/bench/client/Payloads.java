package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * The message body the load generator sends: {@code ~} + the send timestamp as 16 hex digits, padded
 * with {@code x} to the configured size. Servers pass it through verbatim, so a receiver finds the
 * stamp by the {@code ~} marker whatever framing the protocol adds around it. Sender and receivers
 * run in one JVM, so {@link System#nanoTime()} is a common clock.
 */
public final class Payloads {

    /** Marker plus 16 hex digits. */
    public static final int MIN_SIZE = 17;
    /** Returned by {@link #readStamp} when a frame carries no stamp; nanoTime never lands on it. */
    public static final long NO_STAMP = Long.MIN_VALUE;

    private static final byte MARKER = '~';
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Payloads() {
    }

    public static void write(ByteBuf out, long stampNanos, int size) {
        out.writeByte(MARKER);
        for (int shift = 60; shift >= 0; shift -= 4) {
            out.writeByte(HEX[(int) (stampNanos >>> shift) & 0xF]);
        }
        for (int i = MIN_SIZE; i < size; i++) {
            out.writeByte('x');
        }
    }

    public static long readStamp(ByteBuf frame) {
        int at = frame.indexOf(frame.readerIndex(), frame.writerIndex(), MARKER);
        if (at < 0 || at + MIN_SIZE > frame.writerIndex()) {
            return NO_STAMP;
        }
        long value = 0;
        for (int i = at + 1; i < at + MIN_SIZE; i++) {
            int digit = Character.digit(frame.getByte(i), 16);
            if (digit < 0) {
                return NO_STAMP;
            }
            value = (value << 4) | digit;
        }
        return value;
    }
}
