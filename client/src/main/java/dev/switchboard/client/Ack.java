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
 */
public record Ack(String to, int delivered, long seq, boolean partial) {
    /** A complete count. */
    public Ack(String to, int delivered, long seq) {
        this(to, delivered, seq, false);
    }
}
