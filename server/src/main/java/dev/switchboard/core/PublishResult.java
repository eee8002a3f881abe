package dev.switchboard.core;

/**
 * The outcome of a publish.
 *
 * @param delivered the number of open connections the message was queued to (0 for an unknown or
 *     offline user). Queued means handed to the connection's outbound buffer, not read by the peer.
 * @param seq the message's position in the user's stream
 * @param epoch the stream's epoch
 */
public record PublishResult(int delivered, long seq, String epoch) {
    public PublishResult {
        if (delivered < 0) {
            throw new IllegalArgumentException("delivered < 0");
        }
    }
}
