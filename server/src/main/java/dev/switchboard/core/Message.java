package dev.switchboard.core;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code message} of a send: any JSON value, immutable.
 *
 * <p>It has two renderings, each computed at most once and then shared by every connection it
 * goes to: {@link #text()} — what a plain (seed) mode client receives: the string itself when the
 * value is a JSON string, otherwise the value's compact JSON text — and {@link #json()}, the
 * compact JSON text of the value (what an envelope carries). A message is built from whichever
 * form the parser had at hand, so the common case (a string sent to plain clients) never escapes
 * or unescapes anything.
 *
 * <p>Thread-safe: the lazily derived form is published through a volatile field; two threads may
 * both compute it, with identical results.
 */
public final class Message {
    private final boolean string;
    private volatile byte[] text;
    private volatile byte[] json;

    private Message(boolean string, byte[] text, byte[] json) {
        this.string = string;
        this.text = text;
        this.json = json;
    }

    /** A JSON string value; {@code utf8} is its decoded content. */
    public static Message ofString(byte[] utf8) {
        return new Message(true, utf8, null);
    }

    /** A JSON string value. */
    public static Message ofString(String value) {
        return ofString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Any non-string JSON value (object, array, number, boolean, null) as compact JSON text. */
    public static Message ofJson(byte[] compactJson) {
        return new Message(false, compactJson, compactJson);
    }

    /** Whether the value is a JSON string. */
    public boolean isString() {
        return string;
    }

    /** What a plain-mode client receives, as UTF-8. Do not modify the returned array. */
    public byte[] text() {
        return text;
    }

    /** The value as compact JSON text, UTF-8. Do not modify the returned array. */
    public byte[] json() {
        byte[] result = json;
        if (result == null) {
            byte[] quoted = JsonStringEncoder.getInstance()
                    .quoteAsUTF8(new String(text, StandardCharsets.UTF_8));
            result = new byte[quoted.length + 2];
            result[0] = '"';
            System.arraycopy(quoted, 0, result, 1, quoted.length);
            result[result.length - 1] = '"';
            json = result;
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Message m && m.string == string && Arrays.equals(m.text, text);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(text) * 31 + (string ? 1 : 0);
    }

    @Override
    public String toString() {
        // Never the body: messages are user data and may end up in logs.
        return "Message[" + (string ? "string" : "json") + ", " + text.length + " bytes]";
    }
}
