package dev.switchboard.limits;

import dev.switchboard.core.Clock;

/**
 * A token bucket: {@code ratePerSecond} tokens refill continuously up to {@code burst}. Not
 * thread-safe: one per connection, used on its event loop.
 */
public final class TokenBucket {
    private final Clock clock;
    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long lastRefillNanos;

    public TokenBucket(Clock clock, double ratePerSecond, int burst) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.clock = clock;
        this.tokensPerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefillNanos = clock.nanoTime();
    }

    /** Takes one token if there is one. */
    public boolean tryAcquire() {
        long now = clock.nanoTime();
        long elapsed = now - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
            lastRefillNanos = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
