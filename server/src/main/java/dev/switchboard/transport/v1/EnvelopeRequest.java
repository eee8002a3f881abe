package dev.switchboard.transport.v1;

import dev.switchboard.core.Message;

/**
 * One {@code switchboard.v1} client request, as parsed.
 *
 * @param type {@code send}, {@code presence}, {@code received}, {@code ping} or {@code refresh}
 * @param id the client's request id, echoed in the answer; may be null
 * @param target {@code to} of a send, {@code user} of a presence query
 * @param message the message of a send
 * @param receipt whether a send asks for receipts
 * @param seq the seq a {@code received} confirms
 * @param idempotencyKey a send's idempotency key, or null
 * @param token a refresh's token, or null
 */
record EnvelopeRequest(String type, String id, String target, Message message, boolean receipt, long seq,
                       String idempotencyKey, String token) {
    EnvelopeRequest(String type, String id, String target, Message message, boolean receipt, long seq,
                    String idempotencyKey) {
        this(type, id, target, message, receipt, seq, idempotencyKey, null);
    }
}
