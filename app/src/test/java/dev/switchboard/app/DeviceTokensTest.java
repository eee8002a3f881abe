package dev.switchboard.app;

import dev.switchboard.core.Identity;
import dev.switchboard.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Self-contained device tokens: they carry their grant, and only an intact token signed with the key passes. */
class DeviceTokensTest {
    private final ManualClock clock = new ManualClock();
    private final byte[] key = key(1);
    private final DeviceTokens tokens = new DeviceTokens(key);
    private final long expires = clock.currentTimeMillis() + Duration.ofHours(1).toMillis();
    private final String token = tokens.mint(new PairingGrant("bob", Set.of("bob", "carol"), expires));

    private static byte[] key(int seed) {
        byte[] key = new byte[Pairings.KEY_BYTES];
        Arrays.fill(key, (byte) seed);
        return key;
    }

    @Test
    void a_token_carries_its_user_claim_and_expiry() {
        assertThat(token).startsWith("sbd_").matches("sbd_[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");

        Identity identity = tokens.verify(token, clock.currentTimeMillis()).orElseThrow();

        assertThat(identity).isEqualTo(new Identity("bob", true, expires, Set.of("bob", "carol")));
        assertThat(new DeviceTokens(key(1)).verify(token, clock.currentTimeMillis()))
                .as("another node with the same key").contains(identity);
    }

    @Test
    void a_token_changed_in_any_byte_is_refused() {
        byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            for (char replacement : new char[] {'A', 'B', 'f', '-', '_', '.', '0'}) {
                if (bytes[i] == replacement) {
                    continue;
                }
                byte[] tampered = bytes.clone();
                tampered[i] = (byte) replacement;
                String forged = new String(tampered, StandardCharsets.US_ASCII);
                assertThat(tokens.verify(forged, clock.currentTimeMillis())).as("byte %d -> %s", i, replacement).isEmpty();
            }
        }
        assertThat(tokens.verify(token + "A", clock.currentTimeMillis())).isEmpty();
        assertThat(tokens.verify(token.substring(0, token.length() - 1), clock.currentTimeMillis())).isEmpty();
        assertThat(tokens.verify(token.substring(0, token.indexOf('.')), clock.currentTimeMillis())).isEmpty();
    }

    @Test
    void a_token_signed_with_another_key_is_refused() {
        DeviceTokens other = new DeviceTokens(key(2));

        assertThat(other.verify(token, clock.currentTimeMillis())).isEmpty();
        String forged = other.mint(new PairingGrant("bob", Set.of(), expires));
        assertThat(tokens.verify(forged, clock.currentTimeMillis())).isEmpty();
    }

    @Test
    void a_token_is_refused_from_its_expiry_on() {
        clock.advance(Duration.ofHours(1).minusMillis(1));
        assertThat(tokens.verify(token, clock.currentTimeMillis())).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(tokens.verify(token, clock.currentTimeMillis())).isEmpty();

        String never = tokens.mint(new PairingGrant("bob", Set.of(), 0));
        assertThat(tokens.verify(never, clock.currentTimeMillis())).as("a grant without an expiry").isEmpty();
    }

    @Test
    void garbage_is_refused_without_an_exception() {
        for (String garbage : new String[] {null, "", "sbd_", "sbd_.", ".", "sbd_x.y", "sbd_made-up", "eyJhbGciOi.x.y"}) {
            assertThat(tokens.verify(garbage, clock.currentTimeMillis())).as(garbage).isEmpty();
        }
    }
}
