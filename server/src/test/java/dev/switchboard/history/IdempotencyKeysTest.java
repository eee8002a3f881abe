package dev.switchboard.history;

import dev.switchboard.core.PublishResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyKeysTest {
    private static final long WINDOW = 60_000;

    private static PublishResult publish(IdempotencyKeys keys, long key, long fingerprint, long now, long seq) {
        IdempotencyKeys.Claim claim = keys.claim(key, fingerprint, now);
        assertThat(claim).isInstanceOf(IdempotencyKeys.Fresh.class);
        PublishResult result = new PublishResult((int) (seq % 3), seq, "e1");
        keys.complete(key, result);
        return result;
    }

    @Test
    void aRepeatGetsTheFirstAnswerAndAnotherUseIsRefused() {
        IdempotencyKeys keys = new IdempotencyKeys(100, WINDOW);
        PublishResult first = publish(keys, 42, 7, 0, 5);

        assertThat(keys.claim(42, 7, 10)).isEqualTo(new IdempotencyKeys.Duplicate(first.asDuplicate()));
        assertThat(keys.claim(42, 8, 10)).isInstanceOf(IdempotencyKeys.Reused.class);
        assertThat(keys.claim(43, 7, 10)).as("another key").isInstanceOf(IdempotencyKeys.Fresh.class);
    }

    @Test
    void aKeyIsForgottenAfterTheWindowOrWhenItsPublishFailed() {
        IdempotencyKeys keys = new IdempotencyKeys(100, WINDOW);
        publish(keys, 1, 1, 0, 1);
        assertThat(keys.claim(1, 1, WINDOW - 1)).isInstanceOf(IdempotencyKeys.Duplicate.class);
        assertThat(keys.claim(1, 2, WINDOW)).as("expired: a first use again").isInstanceOf(IdempotencyKeys.Fresh.class);

        assertThat(keys.claim(9, 9, WINDOW)).isInstanceOf(IdempotencyKeys.Fresh.class);
        keys.abandon(9);
        assertThat(keys.claim(9, 9, WINDOW + 1)).isInstanceOf(IdempotencyKeys.Fresh.class);
    }

    @Test
    void aPublishCompletedAfterTheStoreGrewIsStillRemembered() {
        IdempotencyKeys keys = new IdempotencyKeys(100_000, WINDOW);
        assertThat(keys.claim(-5, 1, 0)).isInstanceOf(IdempotencyKeys.Fresh.class); // in flight...
        for (long k = 1; k <= 5_000; k++) { // ...while other users' publishes make the store grow
            publish(keys, k, k, 0, k);
        }
        keys.complete(-5, new PublishResult(2, 77, "e1"));

        assertThat(keys.claim(-5, 1, 1)).isEqualTo(
                new IdempotencyKeys.Duplicate(new PublishResult(2, 77, "e1").asDuplicate()));
    }

    @Test
    void whenFullTheOldestKeyGoesFirst() {
        IdempotencyKeys keys = new IdempotencyKeys(16, WINDOW);
        for (long k = 1; k <= 20; k++) {
            publish(keys, k, k, k, k);
        }
        assertThat(keys.size()).isEqualTo(16);
        assertThat(keys.evicted()).isEqualTo(4);
        assertThat(keys.claim(4, 99, 30)).as("among the oldest, gone").isInstanceOf(IdempotencyKeys.Fresh.class);
        assertThat(keys.claim(20, 20, 30)).isInstanceOf(IdempotencyKeys.Duplicate.class);
    }

    /**
     * Random claims, completions, failures and time against a plain model: a queue of claims in
     * the order they came (a failed claim still holds its place until it is the oldest) and the
     * keys they remember.
     */
    @Test
    void agreesWithAReferenceModelUnderRandomUse() {
        int capacity = 3_000;
        IdempotencyKeys keys = new IdempotencyKeys(capacity, WINDOW);
        Map<Long, long[]> live = new HashMap<>(); // key -> {fingerprint, seq, expires, claim number}
        ArrayDeque<long[]> order = new ArrayDeque<>(); // {key, claim number, expires}; key -1: a failed claim
        Random random = new Random(7);
        long now = 0;
        long seq = 0;
        for (int op = 0; op < 200_000; op++) {
            now += random.nextInt(3);
            while (!order.isEmpty() && (order.peekFirst()[0] < 0 || order.peekFirst()[2] <= now)) {
                long[] gone = order.pollFirst();
                live.computeIfPresent(gone[0], (k, v) -> v[3] == gone[1] ? null : v);
            }
            long key = random.nextInt(5_000);
            long fingerprint = random.nextInt(4) == 0 ? key + 1 : key;
            IdempotencyKeys.Claim claim = keys.claim(key, fingerprint, now);
            long[] known = live.get(key);
            if (known == null) {
                assertThat(claim).as("op %d key %d", op, key).isInstanceOf(IdempotencyKeys.Fresh.class);
                if (order.size() == capacity) {
                    long[] gone = order.pollFirst();
                    live.computeIfPresent(gone[0], (k, v) -> v[3] == gone[1] ? null : v);
                }
                if (random.nextInt(10) == 0) {
                    keys.abandon(key);
                    order.addLast(new long[] {-1, op, now + WINDOW});
                    continue;
                }
                keys.complete(key, new PublishResult(1, ++seq, "e"));
                live.put(key, new long[] {fingerprint, seq, now + WINDOW, op});
                order.addLast(new long[] {key, op, now + WINDOW});
            } else if (known[0] == fingerprint) {
                assertThat(claim).as("op %d key %d", op, key).isInstanceOf(IdempotencyKeys.Duplicate.class);
                assertThat(((IdempotencyKeys.Duplicate) claim).first().seq()).isEqualTo(known[1]);
            } else {
                assertThat(claim).as("op %d key %d", op, key).isInstanceOf(IdempotencyKeys.Reused.class);
            }
        }
        assertThat(keys.evicted()).as("the store filled up along the way").isPositive();
    }
}
