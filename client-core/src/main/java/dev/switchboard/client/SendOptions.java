package dev.switchboard.client;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * How to send one message: {@code client.send("alice", "hi", SendOptions.withReceipt())}.
 * Immutable.
 *
 * <p>Every send carries an idempotency key: a random one unless you give your own with
 * {@link #idempotencyKey(String)} (for instance the id of the thing you send, so that a retry your
 * application makes after a restart is caught too). The client resends a send whose ack it did not
 * get after a dropped connection; the server recognises the key and delivers it once.
 */
public final class SendOptions {
    /** The longest idempotency key the server accepts. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
    /** A plain send: no receipts, a random idempotency key. */
    public static final SendOptions DEFAULT = new SendOptions(false, null);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean receipt;
    private final String idempotencyKey;

    private SendOptions(boolean receipt, String idempotencyKey) {
        this.receipt = receipt;
        this.idempotencyKey = idempotencyKey;
    }

    /** Each connection of the addressee that gets the message confirms it; the receipts arrive at this client. */
    public static SendOptions withReceipt() {
        return DEFAULT.receipt(true);
    }

    /** These options with receipts asked for, or not. */
    public SendOptions receipt(boolean value) {
        return value == receipt ? this : new SendOptions(value, idempotencyKey);
    }

    /**
     * These options with your own idempotency key: 1 to 128 characters, unique among this sender's
     * sends of the last few minutes (the server's history TTL). The same key with another
     * addressee or message is refused ({@code idempotency_key_reused}).
     */
    public SendOptions idempotencyKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new IllegalArgumentException("an idempotency key has 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters");
        }
        return new SendOptions(receipt, key);
    }

    /** Whether receipts are asked for. */
    public boolean receipt() {
        return receipt;
    }

    /** Your idempotency key, or {@code null} for a random one per send. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** A random key: 128 bits, 22 characters. */
    static String newIdempotencyKey() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "SendOptions[receipt=" + receipt + (idempotencyKey == null ? "" : ", idempotencyKey=" + idempotencyKey)
                + "]";
    }
}
