package dev.switchboard.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A message delivered to this client's user. Immutable.
 *
 * <p>The body is any JSON value: {@link #json()} is its compact JSON text exactly as sent (numbers
 * keep their digits); {@link #text()} is the string itself when the value is a JSON string, which
 * is the common case.
 */
public final class Message {
    private final long seq;
    private final String from;
    private final String json;
    private final String text;
    private final long timestampMillis;
    private final boolean receiptRequested;

    /**
     * @param json the body as compact JSON text
     * @param text the decoded string when the body is a JSON string, else {@code null}
     */
    Message(long seq, String from, String json, String text, long timestampMillis, boolean receiptRequested) {
        this.seq = seq;
        this.from = from;
        this.json = Objects.requireNonNull(json, "json");
        this.text = text;
        this.timestampMillis = timestampMillis;
        this.receiptRequested = receiptRequested;
    }

    /** The message's place in the user's stream: 1, 2, 3 … within an epoch, without gaps. */
    public long seq() {
        return seq;
    }

    /** The sending user, or {@code null} for a send-only connection or the HTTP server API. */
    public String from() {
        return from;
    }

    /** The body as compact JSON text: {@code "hello"} (with the quotes), {@code {"a":1}}, {@code 42}. */
    public String json() {
        return json;
    }

    /** Whether the body is a JSON string. */
    public boolean isText() {
        return text != null;
    }

    /**
     * The body as text: the string itself when it is a JSON string, otherwise its JSON text (what a
     * plain-mode client of the server receives).
     */
    public String text() {
        return text != null ? text : json;
    }

    /** When the server accepted the message. */
    public Instant timestamp() {
        return Instant.ofEpochMilli(timestampMillis);
    }

    /**
     * Whether the sender asked for a receipt. The client confirms such messages by itself once the
     * message listener has returned.
     */
    public boolean receiptRequested() {
        return receiptRequested;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Message)) {
            return false;
        }
        Message m = (Message) other;
        return m.seq == seq && Objects.equals(m.from, from) && m.json.equals(json)
                && m.timestampMillis == timestampMillis && m.receiptRequested == receiptRequested;
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, from, json, timestampMillis, receiptRequested);
    }

    @Override
    public String toString() {
        // Never the body: messages are user data and end up in logs.
        return "Message[seq=" + seq + ", from=" + from + ", " + json.length() + " chars"
                + (receiptRequested ? ", receipt" : "") + "]";
    }
}
