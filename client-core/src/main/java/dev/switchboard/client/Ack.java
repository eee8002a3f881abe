package dev.switchboard.client;

import java.util.Objects;

/**
 * The server accepted a send. An immutable value.
 */
public final class Ack {
    private final String to;
    private final int delivered;
    private final long seq;
    private final boolean partial;
    private final boolean duplicate;

    /**
     * @param to the addressee
     * @param delivered how many of the addressee's open connections the message was queued to
     * @param seq the message's place in the addressee's stream
     * @param partial whether, in a cluster, a node holding the addressee did not report in time
     * @param duplicate whether the server had already accepted this send (its idempotency key)
     */
    public Ack(String to, int delivered, long seq, boolean partial, boolean duplicate) {
        this.to = to;
        this.delivered = delivered;
        this.seq = seq;
        this.partial = partial;
        this.duplicate = duplicate;
    }

    /** An ack of a first send. */
    public Ack(String to, int delivered, long seq, boolean partial) {
        this(to, delivered, seq, partial, false);
    }

    /** A complete count. */
    public Ack(String to, int delivered, long seq) {
        this(to, delivered, seq, false, false);
    }

    /** The addressee. */
    public String to() {
        return to;
    }

    /**
     * How many of the addressee's open connections the message was queued to; {@code 0} when they
     * are offline, in which case the message still waits in their history for a resuming client.
     */
    public int delivered() {
        return delivered;
    }

    /** The message's place in the addressee's stream; their {@link Receipt}s name it too. */
    public long seq() {
        return seq;
    }

    /**
     * Whether, in a cluster, a node holding the addressee did not report in time, so
     * {@link #delivered()} counts only the nodes that did (the message itself was sent).
     */
    public boolean partial() {
        return partial;
    }

    /**
     * Whether the server had already accepted this send (its idempotency key): the client resent it
     * after a connection dropped before its ack, and the server answered with the first ack instead
     * of delivering it twice.
     */
    public boolean duplicate() {
        return duplicate;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Ack)) {
            return false;
        }
        Ack that = (Ack) other;
        return Objects.equals(to, that.to) && delivered == that.delivered && seq == that.seq
                && partial == that.partial && duplicate == that.duplicate;
    }

    @Override
    public int hashCode() {
        return Objects.hash(to, delivered, seq, partial, duplicate);
    }

    @Override
    public String toString() {
        return "Ack[to=" + to + ", delivered=" + delivered + ", seq=" + seq + ", partial=" + partial
                + ", duplicate=" + duplicate + "]";
    }
}
