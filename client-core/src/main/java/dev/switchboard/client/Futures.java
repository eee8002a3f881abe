package dev.switchboard.client;

import java.util.concurrent.CompletableFuture;

/**
 * {@link CompletableFuture} helpers that Android 8.0 (API level 26) lacks: its
 * {@code CompletableFuture} is Java 8's, without {@code failedFuture}. Stateless.
 */
final class Futures {
    private Futures() {
    }

    /** A future that has already failed with {@code error}. */
    static <T> CompletableFuture<T> failed(Throwable error) {
        CompletableFuture<T> failed = new CompletableFuture<>();
        failed.completeExceptionally(error);
        return failed;
    }
}
