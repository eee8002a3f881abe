package dev.switchboard.hub;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionRegistryTest {
    private final ConnectionRegistry registry = new ConnectionRegistry();

    @Test
    void addReportsFirstConnectionOfAUserAndLaterOnes() {
        FakeSession phone = new FakeSession("1", "bob");
        FakeSession pc = new FakeSession("2", "bob");

        assertThat(registry.add(phone)).isEqualTo(RegistryChange.USER_ONLINE);
        assertThat(registry.add(pc)).isEqualTo(RegistryChange.ADDED);
        assertThat(registry.add(pc)).isEqualTo(RegistryChange.UNCHANGED);

        assertThat(registry.sessions("bob")).containsExactly(phone, pc);
        assertThat(registry.users()).isEqualTo(1);
        assertThat(registry.connections()).isEqualTo(2);
    }

    @Test
    void removingTheLastConnectionLeavesNoEntry() {
        FakeSession phone = new FakeSession("1", "bob");
        FakeSession pc = new FakeSession("2", "bob");
        registry.add(phone);
        registry.add(pc);

        assertThat(registry.remove(phone)).isEqualTo(RegistryChange.REMOVED);
        assertThat(registry.remove(phone)).isEqualTo(RegistryChange.UNCHANGED);
        assertThat(registry.remove(pc)).isEqualTo(RegistryChange.USER_OFFLINE);

        assertThat(registry.sessions("bob")).isEmpty();
        assertThat(registry.users()).isZero();
        assertThat(registry.connections()).isZero();
        List<Session> all = new ArrayList<>();
        registry.forEach(all::add);
        assertThat(all).isEmpty();
    }

    @Test
    void removeMatchesByIdentitySoAStaleSessionCannotUnregisterANewOne() {
        FakeSession old = new FakeSession("same-id", "bob");
        FakeSession reconnected = new FakeSession("same-id", "bob");
        registry.add(reconnected);

        assertThat(registry.remove(old)).isEqualTo(RegistryChange.UNCHANGED);
        assertThat(registry.sessions("bob")).containsExactly(reconnected);
    }

    @Test
    void aSnapshotCountsTheUsersConnectionsAndALaterOneHasAHigherRevision() {
        ConnectionRegistry.Snapshot none = registry.snapshot("bob");
        registry.add(new FakeSession("1", "bob"));
        ConnectionRegistry.Snapshot one = registry.snapshot("bob");
        registry.add(new FakeSession("2", "bob"));
        ConnectionRegistry.Snapshot two = registry.snapshot("bob");

        assertThat(List.of(none.connections(), one.connections(), two.connections())).containsExactly(0, 1, 2);
        assertThat(one.revision()).isGreaterThan(none.revision());
        assertThat(two.revision()).isGreaterThan(one.revision());
        assertThat(registry.users()).as("a snapshot of nobody leaves no entry").isEqualTo(1);
    }

    @Test
    void aUserArrivesWithTheFirstReservationAndLeavesWhenNoConnectionOrReservationIsLeft() {
        ConnectionRegistry.Reservation first = registry.reserve("bob");
        ConnectionRegistry.Reservation second = registry.reserve("bob");
        assertThat(first.first()).isTrue();
        assertThat(second.first()).isFalse();
        assertThat(second.interest()).isSameAs(first.interest());
        assertThat(registry.users()).as("a reservation is not a connection").isZero();

        FakeSession phone = new FakeSession("1", "bob");
        assertThat(registry.add(phone)).isEqualTo(RegistryChange.USER_ONLINE);
        assertThat(registry.release("bob")).as("the phone still holds bob here").isNull();
        assertThat(registry.leave(phone).interest()).as("bob leaves with his last connection")
                .isSameAs(first.interest());
        assertThat(registry.reserve("bob").first()).as("and arrives anew").isTrue();
    }

    @Test
    void sendOnlySessionsAreNotRegistered() {
        assertThatThrownBy(() -> registry.add(new FakeSession("1", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usersInDifferentShardsAreIndependent() {
        for (int i = 0; i < 1000; i++) {
            registry.add(new FakeSession("c" + i, "user-" + i));
        }
        assertThat(registry.users()).isEqualTo(1000);
        assertThat(registry.sessions("user-517")).hasSize(1);
        assertThat(registry.sessions("user-517")[0].id()).isEqualTo("c517");
        assertThat(registry.sessions("nobody")).isEmpty();
    }

    @Test
    void concurrentAddsAndRemovesKeepCountsExact() throws Exception {
        int threads = 8;
        int perThread = 4096; // a multiple of 32: exactly half survive
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<FakeSession> survivors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    // Few users, many connections each: maximal contention on the same keys.
                    FakeSession session = new FakeSession(thread + "-" + i, "user-" + (i % 16));
                    registry.add(session);
                    if ((i / 16) % 2 == 0) { // keeps half, spread over all 16 users
                        registry.remove(session);
                    } else {
                        survivors.add(session);
                    }
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(registry.connections()).isEqualTo(survivors.size()).isEqualTo(threads * perThread / 2);
        assertThat(registry.users()).isEqualTo(16);
        for (FakeSession session : survivors) {
            registry.remove(session);
        }
        assertThat(registry.connections()).isZero();
        assertThat(registry.users()).isZero();
    }

    @Test
    void theShardDoesNotDecideTheBinInsideTheShard() {
        // Regression: the shard was taken from the same low hash bits the shard's table uses for its
        // bins, so each shard's keys crowded into a few bins (7 of 256 for 10,000 ids "u0".."u9999").
        int mask = ConnectionRegistry.DEFAULT_SHARDS - 1;
        java.util.Map<Integer, java.util.Set<Integer>> binsByShard = new java.util.HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            String user = "u" + i;
            int h = user.hashCode();
            int bin = (h ^ (h >>> 16)) & 255; // ConcurrentHashMap's spread, a 256-bin table
            binsByShard.computeIfAbsent(ConnectionRegistry.shardIndex(user, mask), s -> new java.util.HashSet<>())
                    .add(bin);
        }
        assertThat(binsByShard).hasSize(ConnectionRegistry.DEFAULT_SHARDS);
        double averageBins = binsByShard.values().stream().mapToInt(java.util.Set::size).average().orElse(0);
        assertThat(averageBins).isGreaterThan(90); // ~156 keys a shard: ideal spread fills ~119 bins
    }

    @Test
    void shardCountMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new ConnectionRegistry(12)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ConnectionRegistry(1).add(new FakeSession("1", "a"))).isEqualTo(RegistryChange.USER_ONLINE);
    }
}
