package dev.switchboard.client;

/**
 * How to send one message: {@code client.send("alice", "hi", SendOptions.withReceipt())}.
 * Immutable.
 */
public final class SendOptions {
    /** A plain send: no receipts. */
    public static final SendOptions DEFAULT = new SendOptions(false);

    private final boolean receipt;

    private SendOptions(boolean receipt) {
        this.receipt = receipt;
    }

    /** Each connection of the addressee that gets the message confirms it; the receipts arrive at this client. */
    public static SendOptions withReceipt() {
        return DEFAULT.receipt(true);
    }

    /** These options with receipts asked for, or not. */
    public SendOptions receipt(boolean value) {
        return value == receipt ? this : new SendOptions(value);
    }

    /** Whether receipts are asked for. */
    public boolean receipt() {
        return receipt;
    }

    @Override
    public String toString() {
        return "SendOptions[receipt=" + receipt + "]";
    }
}
