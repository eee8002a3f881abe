package dev.switchboard.client;

import java.util.Objects;

/**
 * One of the addressee's connections confirmed a message this client sent with a receipt request.
 * A message reaching two of the addressee's devices yields two receipts, one naming each. An
 * immutable value.
 */
public final class Receipt {
    private final String to;
    private final long seq;
    private final String connectionId;

    /**
     * @param to the addressee
     * @param seq the message's seq, as in its {@link Ack}
     * @param connectionId the confirming connection (the recipient's {@link SwitchboardClient#connectionId()})
     */
    public Receipt(String to, long seq, String connectionId) {
        this.to = to;
        this.seq = seq;
        this.connectionId = connectionId;
    }

    /** The addressee. */
    public String to() {
        return to;
    }

    /** The message's seq, as in its {@link Ack}. */
    public long seq() {
        return seq;
    }

    /** The confirming connection (the recipient's {@link SwitchboardClient#connectionId()}). */
    public String connectionId() {
        return connectionId;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Receipt)) {
            return false;
        }
        Receipt that = (Receipt) other;
        return Objects.equals(to, that.to) && seq == that.seq && Objects.equals(connectionId, that.connectionId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(to, seq, connectionId);
    }

    @Override
    public String toString() {
        return "Receipt[to=" + to + ", seq=" + seq + ", connectionId=" + connectionId + "]";
    }
}
