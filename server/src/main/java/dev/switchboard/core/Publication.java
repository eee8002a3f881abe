package dev.switchboard.core;

import java.util.Objects;

/**
 * One message addressed to one user, as it travels from the router through the broker to the
 * hub. Immutable and safe to share between threads.
 *
 * @param userId the addressee; never null or empty
 * @param message the payload
 * @param from the sending user, or {@code null} for an anonymous sender
 */
public record Publication(String userId, Message message, String from) {
    public Publication {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(message, "message");
        if (userId.isEmpty()) {
            throw new IllegalArgumentException("userId is empty");
        }
    }
}
