package dev.switchboard.client;

/** A frame from the server, read ({@link InboundParser}). */
sealed interface Inbound {
    /** Always the first frame of a connection. {@code recovered} is null unless the client asked to resume. */
    record Welcome(String connectionId, String userId, String epoch, long seq, Boolean recovered, int missed)
            implements Inbound {
    }

    /** A message to this client's user. */
    record Delivery(Message message) implements Inbound {
    }

    /** The answer to request {@code id}: an {@link Ack}, a {@link Presence}, or {@code null} for a pong. */
    record Answer(String id, Object value) implements Inbound {
    }

    /** An error; {@code id} is the failed request's, or {@code null} when the server could not tell. */
    record Failure(String id, String code, String text) implements Inbound {
    }

    /** Something that happened: a {@link Receipt} or a {@link Presence} change. */
    record Event(Object value) implements Inbound {
    }

    /** A frame type this client does not know; the protocol grows by adding, so it is skipped. */
    record Unknown(String type) implements Inbound {
    }
}
