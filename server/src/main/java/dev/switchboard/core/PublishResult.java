package dev.switchboard.core;

/**
 * The outcome of a publish.
 *
 * @param delivered the number of open connections the message was queued to (0 for an unknown or
 *     offline user), across every node that answered. Queued means handed to the connection's
 *     outbound buffer, not read by the peer.
 * @param seq the message's position in the user's stream
 * @param epoch the stream's epoch
 * @param partial whether a node holding the user did not report its count in time, so
 *     {@code delivered} may be short (a cluster only; a single node is never partial)
 * @param duplicate whether this is a repeat of an idempotency key: nothing was sent now, and the
 *     other fields are the first publish's
 */
public record PublishResult(int delivered, long seq, String epoch, boolean partial, boolean duplicate) {
    public PublishResult {
        if (delivered < 0) {
            throw new IllegalArgumentException("delivered < 0");
        }
    }

    /** A first publish. */
    public PublishResult(int delivered, long seq, String epoch, boolean partial) {
        this(delivered, seq, epoch, partial, false);
    }

    /** A complete count. */
    public PublishResult(int delivered, long seq, String epoch) {
        this(delivered, seq, epoch, false, false);
    }

    /** The answer to a repeat of this publish's idempotency key. */
    public PublishResult asDuplicate() {
        return new PublishResult(delivered, seq, epoch, partial, true);
    }
}
