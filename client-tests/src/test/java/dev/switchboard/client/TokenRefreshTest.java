package dev.switchboard.client;

import dev.switchboard.client.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a token's expiry, and the refresh frame, as the server expects them. */
class TokenRefreshTest {
    @Test
    void aJwtsExpiryIsItsExpClaimInMilliseconds() {
        long before = Instant.now().plusSeconds(59).toEpochMilli();
        long exp = TokenRefresh.expiry(Tokens.hs256("bob", Duration.ofSeconds(60)));
        assertThat(exp).isBetween(before - 1000, Instant.now().plusSeconds(61).toEpochMilli());
        assertThat(exp % 1000).isZero();
    }

    @Test
    void somethingThatIsNotAJwtWithAnExpHasNone() {
        assertThat(TokenRefresh.expiry(null)).isZero();
        assertThat(TokenRefresh.expiry("not-a-jwt")).isZero();
        assertThat(TokenRefresh.expiry("a.%%%.c")).isZero();
        assertThat(TokenRefresh.expiry("e30.e30.sig")).as("{} has no exp").isZero();
    }

    @Test
    void theRefreshFrame() {
        assertThat(Frames.refresh("r7", "t.o.k")).isEqualTo("{\"type\":\"refresh\",\"id\":\"r7\",\"token\":\"t.o.k\"}");
    }
}
