package dev.switchboard.app;

import dev.switchboard.auth.AuthenticationException;
import dev.switchboard.auth.Authenticator;
import dev.switchboard.auth.Credentials;
import dev.switchboard.core.Identity;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pairing codes: single use (even under races), short-lived; device tokens: the PC's user, until the
 * PC's token expires, refused while the node has no key.
 */
class PairingsTest {
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final MemoryPairingStore store = new MemoryPairingStore(clock, scheduler);
    private final Pairings pairings = new Pairings(clock, scheduler, store);
    private final Identity pc = new Identity("bob", true, clock.currentTimeMillis() + 3_600_000, Set.of("bob"));

    private Pairings.Code issue(Identity identity) {
        return pairings.issue(identity).join().orElseThrow();
    }

    private Optional<Pairings.Device> redeem(String code) {
        return pairings.redeem(code).join();
    }

    @Test
    void a_code_is_redeemed_once_for_a_device_token_of_the_same_user() {
        Pairings.Code code = issue(pc);

        Pairings.Device device = redeem(code.code()).orElseThrow();

        assertThat(device.userId()).isEqualTo("bob");
        assertThat(device.token()).startsWith(Pairings.DEVICE_TOKEN_PREFIX).doesNotContain(code.code());
        assertThat(pairings.device(device.token())).hasValueSatisfying(identity -> {
            assertThat(identity.userId()).isEqualTo("bob");
            assertThat(identity.verified()).isTrue();
            assertThat(identity.sendTo()).containsExactly("bob");
        });
        assertThat(redeem(code.code())).as("second use").isEmpty();
    }

    @Test
    void a_code_expires_after_two_minutes() {
        Pairings.Code late = issue(pc);
        Pairings.Code onTime = issue(pc);
        assertThat(late.expiresAtMillis() - clock.currentTimeMillis()).isEqualTo(Pairings.CODE_LIFETIME.toMillis());

        clock.advance(Pairings.CODE_LIFETIME.minusMillis(1));
        assertThat(redeem(onTime.code())).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(redeem(late.code())).isEmpty();
    }

    @Test
    void unknown_and_empty_codes_are_refused() {
        issue(pc);
        assertThat(redeem("not-a-code")).isEmpty();
        assertThat(redeem("")).isEmpty();
        assertThat(redeem(null)).isEmpty();
        assertThat(pairings.device(Pairings.DEVICE_TOKEN_PREFIX + "made-up")).isEmpty();
    }

    @Test
    void a_device_token_ends_with_the_pcs_token_and_never_outlives_the_cap() {
        Pairings.Device device = redeem(issue(pc).code()).orElseThrow();
        assertThat(device.expiresAtMillis()).isEqualTo(pc.expiresAtMillis());
        clock.advance(Duration.ofMinutes(59));
        assertThat(pairings.device(device.token())).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(pairings.device(device.token())).isEmpty();

        Identity forever = new Identity("carol", true, 0, Set.of());
        Pairings.Device capped = redeem(issue(forever).code()).orElseThrow();
        assertThat(capped.expiresAtMillis() - clock.currentTimeMillis()).isEqualTo(Pairings.MAX_DEVICE_LIFETIME.toMillis());
    }

    @Test
    void the_sweeper_drops_what_expired() {
        issue(pc);
        issue(pc);
        assertThat(store.pendingCodes()).isEqualTo(2);
        clock.advance(Pairings.CODE_LIFETIME);
        scheduler.runAll();
        assertThat(store.pendingCodes()).isZero();

        pairings.close();
        assertThat(scheduler.liveTasks()).as("the sweeper and the key check").isEmpty();
    }

    @Test
    void pending_codes_are_bounded() {
        for (int i = 0; i < MemoryPairingStore.MAX_PENDING_CODES; i++) {
            assertThat(pairings.issue(pc).join()).isPresent();
        }
        assertThat(pairings.issue(pc).join()).isEmpty();
        clock.advance(Pairings.CODE_LIFETIME);
        assertThat(pairings.issue(pc).join()).as("expired codes make room").isPresent();
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
        Pairings.Device device = redeem(issue(pc).code()).orElseThrow();

        assertThat(authenticator.authenticate(new Credentials(device.token(), "mallory")).userId()).isEqualTo("bob");
        assertThat(authenticator.authenticate(new Credentials("a-valid-jwt", null)).userId()).isEqualTo("dave");
        assertThatThrownBy(() -> authenticator.authenticate(new Credentials(Pairings.DEVICE_TOKEN_PREFIX + "x", null)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("pair the phone again");
        assertThatThrownBy(() -> authenticator.authenticate(new Credentials("forged", null)))
                .isInstanceOf(AuthenticationException.class).hasMessage("not a JWT");
        assertThat(authenticator.verifies()).isTrue();
    }

    @Test
    void redeemed_codes_make_room_and_devices_are_not_counted() {
        for (int i = 0; i < MemoryPairingStore.MAX_PENDING_CODES - 1; i++) {
            issue(pc);
        }
        for (int i = 0; i < 20_000; i++) {
            assertThat(redeem(issue(pc).code())).isPresent();
        }
        assertThat(store.pendingCodes()).isEqualTo(MemoryPairingStore.MAX_PENDING_CODES - 1);
    }

    @Test
    void concurrent_redeems_of_one_code_give_one_device() throws Exception {
        for (int round = 0; round < 50; round++) {
            String code = issue(pc).code();
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                racers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return redeem(code).isPresent();
                }));
            }
            start.countDown();
            assertThat(racers.stream().filter(CompletableFuture::join).count()).isEqualTo(1);
        }
    }

    @Test
    void until_the_store_agrees_on_a_key_pairing_fails_and_device_tokens_are_refused() {
        FlakyStore flaky = new FlakyStore(new MemoryPairingStore(clock, scheduler));
        Pairings onRedis = new Pairings(clock, scheduler, flaky);
        String token = redeem(issue(pc).code()).orElseThrow().token();

        assertThat(onRedis.ready()).isNotDone();
        assertThat(onRedis.issue(pc)).isCompletedExceptionally();
        assertThat(onRedis.redeem("any")).isCompletedExceptionally();
        assertThat(onRedis.device(token)).isEmpty();

        flaky.failing = false;
        scheduler.runAll();
        assertThat(onRedis.ready()).isCompleted();
        String code = onRedis.issue(pc).join().orElseThrow().code();
        flaky.failing = true;
        assertThat(onRedis.redeem(code)).as("the store is down").isCompletedExceptionally();
        flaky.failing = false;
        String device = onRedis.redeem(code).join().orElseThrow().token();
        assertThat(onRedis.device(device)).isPresent();
        assertThat(pairings.device(device)).as("another key").isEmpty();
        onRedis.close();
    }

    @Test
    void a_node_adopts_the_key_the_store_holds() {
        FlakyStore shared = new FlakyStore(new MemoryPairingStore(clock, scheduler));
        shared.failing = false;
        Pairings first = new Pairings(clock, scheduler, shared);
        Pairings second = new Pairings(clock, scheduler, shared);
        String token = first.redeem(first.issue(pc).join().orElseThrow().code()).join().orElseThrow().token();

        assertThat(second.device(token)).isPresent();
        first.close();
        second.close();
    }

    /** A store whose Redis can be switched off, and that keeps the first key proposed, as Redis would. */
    private static final class FlakyStore implements PairingStore {
        private final MemoryPairingStore codes;
        private byte[] key;
        volatile boolean failing = true;

        FlakyStore(MemoryPairingStore codes) {
            this.codes = codes;
        }

        private <T> CompletableFuture<T> unlessFailing(
                Supplier<CompletableFuture<T>> answer) {
            return failing ? CompletableFuture.failedFuture(new IOException("down")) : answer.get();
        }

        @Override
        public CompletableFuture<Boolean> put(String digest, PairingGrant grant, Duration lifetime) {
            return unlessFailing(() -> codes.put(digest, grant, lifetime));
        }

        @Override
        public CompletableFuture<Optional<PairingGrant>> take(String digest) {
            return unlessFailing(() -> codes.take(digest));
        }

        @Override
        public synchronized CompletableFuture<byte[]> agreeOnDeviceKey(byte[] proposal) {
            return unlessFailing(() -> {
                if (key == null) {
                    key = proposal.clone();
                }
                return CompletableFuture.completedFuture(key.clone());
            });
        }

        @Override
        public void close() {
            codes.close();
        }
    }
}
