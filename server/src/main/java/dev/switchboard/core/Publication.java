package dev.switchboard.core;

import java.util.Objects;

/**
 * One message addressed to one user, as it travels from the router through the broker to the
 * hub. Immutable and safe to share between threads.
 *
 * <p>A publication is created without a stream position ({@code seq == 0}); the broker assigns the
 * next {@code seq} of the user's stream, its {@code epoch} and the server timestamp when it accepts
 * it ({@link #at}), and every connection receives it with those.
 *
 * @param userId the addressee; never null or empty
 * @param message the payload
 * @param from the sending user, or {@code null} for an anonymous or server API sender
 * @param seq the position in the user's stream (1, 2, 3 …), or 0 before the broker assigned one
 * @param epoch the stream's epoch, or {@code null} before the broker assigned one
 * @param timestampMillis when the broker accepted it (server clock), or 0 before
 * @param receipt where to send receipts when recipients confirm it, or {@code null} for none
 */
public record Publication(String userId, Message message, String from, long seq, String epoch,
                          long timestampMillis, ReceiptRequest receipt) {
    public Publication {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(message, "message");
        if (userId.isEmpty()) {
            throw new IllegalArgumentException("userId is empty");
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq < 0");
        }
    }

    /** A publication not yet placed in a stream, without receipts. */
    public Publication(String userId, Message message, String from) {
        this(userId, message, from, 0, null, 0, null);
    }

    /** A publication not yet placed in a stream. */
    public static Publication of(String userId, Message message, String from, ReceiptRequest receipt) {
        return new Publication(userId, message, from, 0, null, 0, receipt);
    }

    /** This publication placed at {@code seq} of the stream {@code epoch}, accepted at {@code timestampMillis}. */
    public Publication at(long seq, String epoch, long timestampMillis) {
        return new Publication(userId, message, from, seq, epoch, timestampMillis, receipt);
    }

    /** Whether the sender asked for receipts. */
    public boolean wantsReceipt() {
        return receipt != null;
    }

    /** Where the receipts of a publication go: the sending connection, and its request id. */
    public record ReceiptRequest(String connectionId, String requestId) {
        public ReceiptRequest {
            Objects.requireNonNull(connectionId, "connectionId");
        }
    }
}
