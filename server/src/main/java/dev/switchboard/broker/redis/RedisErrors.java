package dev.switchboard.broker.redis;

import dev.switchboard.core.BrokerUnavailableException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** How the broker words Redis's failures. Stateless. */
final class RedisErrors {
    private RedisErrors() {
    }

    /**
     * Why a connection failed, in Redis's words where it gave some: Lettuce's "Unable to connect"
     * hides the reason (a wrong password's WRONGPASS, say) in its cause.
     */
    static String reason(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = String.valueOf(error.getMessage());
        return root == error ? top : top + ": " + root.getMessage();
    }

    /** A request refused because this node has no connection to that Redis: nothing was sent. */
    static <T> CompletableFuture<T> unreachable() {
        return CompletableFuture.failedFuture(new BrokerUnavailableException("not connected to Redis"));
    }

    /**
     * Lettuce's failure as the broker reports it: a command it rejected without sending (the
     * connection is down), or one Redis refused before running it (out of memory, or a Redis Cluster
     * that has no master for the slot yet), becomes a {@link BrokerUnavailableException}; anything
     * else, which may have taken effect, stays as it is.
     */
    static Throwable translate(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String message = String.valueOf(cause.getMessage());
        if (cause.getClass() == io.lettuce.core.RedisException.class
                && message.startsWith("Currently not connected") || cause instanceof io.lettuce.core.RedisConnectionException) {
            return new BrokerUnavailableException("not connected to Redis");
        }
        if (cause instanceof io.lettuce.core.RedisCommandExecutionException) {
            if (message.startsWith("OOM")) {
                // Redis refuses a script that may write before running any of it when past maxmemory.
                return new BrokerUnavailableException("Redis is out of memory (maxmemory, noeviction); nothing was"
                        + " stored", true);
            }
            if (message.startsWith("CLUSTERDOWN") || message.startsWith("TRYAGAIN")) {
                return new BrokerUnavailableException("the Redis Cluster cannot serve this user now (" + message + ")");
            }
        }
        return cause;
    }
}
