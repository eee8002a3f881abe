package dev.switchboard.client;

/**
 * The server accepted a send.
 *
 * @param to the addressee
 * @param delivered how many of the addressee's open connections the message was queued to; {@code 0}
 *     when they are offline, in which case the message still waits in their history for a resuming
 *     client
 * @param seq the message's place in the addressee's stream; their {@link Receipt}s name it too
 */
public record Ack(String to, int delivered, long seq) {
}
