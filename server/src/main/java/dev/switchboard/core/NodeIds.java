package dev.switchboard.core;

import java.security.SecureRandom;

/**
 * Node ids and the connection ids derived from them. A connection id is {@code <node id>-<n>}, so
 * any node can tell which node holds a connection (to route a receipt there) from its id alone.
 * A node id is 1 to 32 characters of {@code [0-9a-z]}; a fresh random one is 12 hex digits.
 */
public final class NodeIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeIds() {
    }

    /** A random node id, unique in practice across restarts and nodes. */
    public static String random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        StringBuilder hex = new StringBuilder(12);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    /** Returns {@code id} if it is a valid node id, else throws {@link IllegalArgumentException}. */
    public static String requireValid(String id) {
        if (id == null || id.isEmpty() || id.length() > 32) {
            throw new IllegalArgumentException("a node id has 1 to 32 characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) {
                throw new IllegalArgumentException("a node id has only the characters 0-9 and a-z");
            }
        }
        return id;
    }

    /** The node that holds {@code connectionId}, or {@code null} if the id has no node prefix. */
    public static String nodeOf(String connectionId) {
        int dash = connectionId.indexOf('-');
        return dash <= 0 ? null : connectionId.substring(0, dash);
    }
}
