package dev.switchboard.client;

/**
 * One of the addressee's connections confirmed a message this client sent with a receipt request.
 * A message reaching two of the addressee's devices yields two receipts, one naming each.
 *
 * @param to the addressee
 * @param seq the message's seq, as in its {@link Ack}
 * @param connectionId the confirming connection (the recipient's {@link SwitchboardClient#connectionId()})
 */
public record Receipt(String to, long seq, String connectionId) {
}
