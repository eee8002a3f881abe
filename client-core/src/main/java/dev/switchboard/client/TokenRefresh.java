package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Token refresh in place: shortly before a connection's token expires (a minute before, or a third
 * of its remaining life for a short one), asks the {@link TokenProvider} for a fresh token and sends
 * it in a {@code refresh} request; the server moves the connection's expiry. Only when that fails —
 * the provider fails, or the server refuses the token — is the connection dropped, so the client
 * reconnects with a token of its own (and never meets 4001 otherwise).
 *
 * <p>Threading: {@link #schedule} runs on the client thread; the timer and the answer come back to it.
 */
final class TokenRefresh {
    /** What the server answers a refresh with. */
    static final class Refreshed {
        private final long expiresAt;

        Refreshed(long expiresAt) {
            this.expiresAt = expiresAt;
        }

        long expiresAt() {
            return expiresAt;
        }
    }

    private final TokenProvider tokens;
    private final ScheduledExecutorService thread;
    private final Function<String, CompletableFuture<Refreshed>> send;
    private final Predicate<Runnable> execute;
    private final Supplier<Connection> current;
    private final BiConsumer<Connection, Throwable> failed;

    /**
     * @param tokens the provider, or {@code null} when the token cannot be refreshed (a fixed token)
     * @param send files a refresh request carrying the token
     * @param failed drops a connection whose refresh failed (the client then reconnects)
     */
    TokenRefresh(TokenProvider tokens, ScheduledExecutorService thread, Function<String, CompletableFuture<Refreshed>> send,
                 Predicate<Runnable> execute, Supplier<Connection> current, BiConsumer<Connection, Throwable> failed) {
        this.tokens = tokens;
        this.thread = thread;
        this.send = send;
        this.execute = execute;
        this.current = current;
        this.failed = failed;
    }

    /** Client thread: plans the next refresh of {@code connection}, if its token has an expiry. */
    void schedule(Connection connection) {
        long left = connection.tokenExpiresAt - System.currentTimeMillis();
        if (tokens == null || connection.tokenExpiresAt <= 0 || left <= 0) {
            return;
        }
        thread.schedule(() -> refresh(connection), left - Math.min(60_000, left / 3), TimeUnit.MILLISECONDS);
    }

    private void refresh(Connection connection) {
        if (connection != current.get()) {
            return; // replaced meanwhile: the new one planned its own
        }
        CompletableFuture<Refreshed> answer;
        try {
            answer = tokens.token().toCompletableFuture().thenCompose(send);
        } catch (RuntimeException e) {
            answer = Futures.failed(e);
        }
        answer.whenComplete((refreshed, error) -> execute.test(() -> {
            if (connection != current.get()) {
                return;
            }
            if (error != null) {
                failed.accept(connection, Handshake.unwrap(error));
            } else {
                connection.tokenExpiresAt = refreshed.expiresAt();
                schedule(connection);
            }
        }));
    }

    /** A JWT's {@code exp} in epoch ms, or 0 when it has none or is not a JWT. */
    static long expiry(String jwt) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length < 2) {
            return 0;
        }
        try (JsonParser parser = Json.FACTORY.createParser(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            String name;
            while ((name = parser.nextFieldName()) != null) {
                JsonToken value = parser.nextToken();
                if ("exp".equals(name) && value.isNumeric()) {
                    return parser.getLongValue() * 1000;
                }
                parser.skipChildren();
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            return 0;
        }
        return 0;
    }
}
