package dev.switchboard.client;

/**
 * The server accepted a send.
 *
 * @param to the addressee
 * @param delivered how many of the addressee's open connections the message was queued to; {@code 0}
 *     when they are offline, in which case the message still waits in their history for a resuming
 *     client
 * @param seq the message's place in the addressee's stream; their {@link Receipt}s name it too
 * @param partial whether, in a cluster, a node holding the addressee did not report in time, so
 *     {@code delivered} counts only the nodes that did (the message itself was sent)
 * @param duplicate whether the server had already accepted this send (its idempotency key): the
 *     client resent it after a connection dropped before its ack, and the server answered with the
 *     first ack instead of delivering it twice
 */
public record Ack(String to, int delivered, long seq, boolean partial, boolean duplicate) {
    /** An ack of a first send. */
    public Ack(String to, int delivered, long seq, boolean partial) {
        this(to, delivered, seq, partial, false);
    }

    /** A complete count. */
    public Ack(String to, int delivered, long seq) {
        this(to, delivered, seq, false, false);
    }
}
