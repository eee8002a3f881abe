package dev.switchboard.client;

import java.util.Objects;

/**
 * The client reconnected but the server could not replay what it missed: the stream's history was
 * lost (the server restarted, so the epoch changed) or the gap is older than the history keeps.
 * Messages between {@code previousSeq} and {@code seq} may be lost; reload the application's state
 * from its source of truth. Messages after {@code seq} of {@code epoch} are delivered as usual. An
 * immutable value.
 */
public final class Resync {
    private final String previousEpoch;
    private final long previousSeq;
    private final String epoch;
    private final long seq;

    /**
     * @param previousEpoch the epoch the client was in
     * @param previousSeq the last seq it had delivered
     * @param epoch the stream's epoch now
     * @param seq where live messages resume: the next message has {@code seq + 1}
     */
    public Resync(String previousEpoch, long previousSeq, String epoch, long seq) {
        this.previousEpoch = previousEpoch;
        this.previousSeq = previousSeq;
        this.epoch = epoch;
        this.seq = seq;
    }

    /** The epoch the client was in. */
    public String previousEpoch() {
        return previousEpoch;
    }

    /** The last seq it had delivered. */
    public long previousSeq() {
        return previousSeq;
    }

    /** The stream's epoch now. */
    public String epoch() {
        return epoch;
    }

    /** Where live messages resume: the next message has {@code seq + 1}. */
    public long seq() {
        return seq;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Resync)) {
            return false;
        }
        Resync that = (Resync) other;
        return Objects.equals(previousEpoch, that.previousEpoch) && previousSeq == that.previousSeq
                && Objects.equals(epoch, that.epoch) && seq == that.seq;
    }

    @Override
    public int hashCode() {
        return Objects.hash(previousEpoch, previousSeq, epoch, seq);
    }

    @Override
    public String toString() {
        return "Resync[previousEpoch=" + previousEpoch + ", previousSeq=" + previousSeq + ", epoch=" + epoch
                + ", seq=" + seq + "]";
    }
}
