package dev.switchboard.transport;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection ids unique across restarts and nodes: a random per-process prefix and a counter.
 * Thread-safe.
 */
final class ConnectionIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    ConnectionIds() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        StringBuilder hex = new StringBuilder();
        for (byte b : random) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        prefix = hex + "-";
    }

    String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
