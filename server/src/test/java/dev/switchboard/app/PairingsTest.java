package dev.switchboard.app;

import dev.switchboard.auth.AuthenticationException;
import dev.switchboard.auth.Authenticator;
import dev.switchboard.auth.Credentials;
import dev.switchboard.core.Identity;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pairing codes: single use, short-lived; device tokens: the PC's user, until the PC's token expires. */
class PairingsTest {
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final Pairings pairings = new Pairings(clock, scheduler);
    private final Identity pc = new Identity("bob", true, clock.currentTimeMillis() + 3_600_000, Set.of("bob"));

    @Test
    void a_code_is_redeemed_once_for_a_device_token_of_the_same_user() {
        Pairings.Code code = pairings.issue(pc).orElseThrow();

        Pairings.Device device = pairings.redeem(code.code()).orElseThrow();

        assertThat(device.userId()).isEqualTo("bob");
        assertThat(device.token()).startsWith(Pairings.DEVICE_TOKEN_PREFIX).doesNotContain(code.code());
        assertThat(pairings.device(device.token())).hasValueSatisfying(identity -> {
            assertThat(identity.userId()).isEqualTo("bob");
            assertThat(identity.verified()).isTrue();
            assertThat(identity.sendTo()).containsExactly("bob");
        });
        assertThat(pairings.redeem(code.code())).as("second use").isEmpty();
    }

    @Test
    void a_code_expires_after_two_minutes() {
        Pairings.Code late = pairings.issue(pc).orElseThrow();
        Pairings.Code onTime = pairings.issue(pc).orElseThrow();
        assertThat(late.expiresAtMillis() - clock.currentTimeMillis()).isEqualTo(Pairings.CODE_LIFETIME.toMillis());

        clock.advance(Pairings.CODE_LIFETIME.minusMillis(1));
        assertThat(pairings.redeem(onTime.code())).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(pairings.redeem(late.code())).isEmpty();
    }

    @Test
    void unknown_and_empty_codes_are_refused() {
        pairings.issue(pc).orElseThrow();
        assertThat(pairings.redeem("not-a-code")).isEmpty();
        assertThat(pairings.redeem("")).isEmpty();
        assertThat(pairings.redeem(null)).isEmpty();
        assertThat(pairings.device(Pairings.DEVICE_TOKEN_PREFIX + "made-up")).isEmpty();
    }

    @Test
    void a_device_token_ends_with_the_pcs_token_and_never_outlives_the_cap() {
        Pairings.Device device = pairings.redeem(pairings.issue(pc).orElseThrow().code()).orElseThrow();
        assertThat(device.expiresAtMillis()).isEqualTo(pc.expiresAtMillis());
        clock.advance(Duration.ofMinutes(59));
        assertThat(pairings.device(device.token())).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(pairings.device(device.token())).isEmpty();

        Identity forever = new Identity("carol", true, 0, Set.of());
        Pairings.Device capped = pairings.redeem(pairings.issue(forever).orElseThrow().code()).orElseThrow();
        assertThat(capped.expiresAtMillis() - clock.currentTimeMillis()).isEqualTo(Pairings.MAX_DEVICE_LIFETIME.toMillis());
    }

    @Test
    void the_sweeper_drops_what_expired() {
        pairings.issue(pc).orElseThrow();
        pairings.issue(pc).orElseThrow();
        assertThat(pairings.pendingCodes()).isEqualTo(2);
        clock.advance(Pairings.CODE_LIFETIME);
        scheduler.runAll();
        assertThat(pairings.pendingCodes()).isZero();

        pairings.close();
        assertThat(scheduler.liveTasks()).isEmpty();
    }

    @Test
    void pending_codes_are_bounded() {
        for (int i = 0; i < Pairings.MAX_PENDING_CODES; i++) {
            assertThat(pairings.issue(pc)).isPresent();
        }
        assertThat(pairings.issue(pc)).isEmpty();
        clock.advance(Pairings.CODE_LIFETIME);
        assertThat(pairings.issue(pc)).as("expired codes make room").isPresent();
    }

    @Test
    void the_handshake_accepts_a_device_token_and_passes_anything_else_to_the_jwt_check() throws Exception {
        Authenticator jwt = new Authenticator() {
            @Override
            public Identity authenticate(Credentials credentials) throws AuthenticationException {
                if ("a-valid-jwt".equals(credentials.bearerToken())) {
                    return new Identity("dave", true, 0, Set.of());
                }
                throw new AuthenticationException("not a JWT");
            }

            @Override
            public boolean verifies() {
                return true;
            }
        };
        PairingAuthenticator authenticator = new PairingAuthenticator(jwt, pairings);
        Pairings.Device device = pairings.redeem(pairings.issue(pc).orElseThrow().code()).orElseThrow();

        assertThat(authenticator.authenticate(new Credentials(device.token(), "mallory")).userId()).isEqualTo("bob");
        assertThat(authenticator.authenticate(new Credentials("a-valid-jwt", null)).userId()).isEqualTo("dave");
        assertThatThrownBy(() -> authenticator.authenticate(new Credentials(Pairings.DEVICE_TOKEN_PREFIX + "x", null)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("pair the phone again");
        assertThatThrownBy(() -> authenticator.authenticate(new Credentials("forged", null)))
                .isInstanceOf(AuthenticationException.class).hasMessage("not a JWT");
        assertThat(authenticator.verifies()).isTrue();
    }
}
