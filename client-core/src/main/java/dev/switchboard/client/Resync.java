package dev.switchboard.client;

/**
 * The client reconnected but the server could not replay what it missed: the stream's history was
 * lost (the server restarted, so the epoch changed) or the gap is older than the history keeps.
 * Messages between {@code previousSeq} and {@code seq} may be lost; reload the application's state
 * from its source of truth. Messages after {@code seq} of {@code epoch} are delivered as usual.
 *
 * @param previousEpoch the epoch the client was in
 * @param previousSeq the last seq it had delivered
 * @param epoch the stream's epoch now
 * @param seq where live messages resume: the next message has {@code seq + 1}
 */
public record Resync(String previousEpoch, long previousSeq, String epoch, long seq) {
}
