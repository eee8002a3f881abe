package dev.switchboard.transport.it;

import dev.switchboard.testing.Http;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.PrometheusText;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history's global budget seen from outside: a sender that floods ever-new offline users with
 * large messages cannot make the server keep more than {@code --history-max-bytes}; the oldest
 * entries go first, whoever they were for; a resume that needed one of them is told
 * {@code recovered:false} (never a silent gap); and {@code /metrics} shows the bytes, the budget,
 * the entries, the streams and the evictions by cause.
 */
class HistoryBudgetTest {
    private static final long BUDGET = 512 * 1024;
    private static final int MESSAGE_CHARS = 16 * 1024;

    @RegisterExtension
    final LiveServer server = new LiveServer(() -> TestServers.bulkConfig().toBuilder()
            .historyMaxBytes(BUDGET)
            .build());

    @Test
    void a_flood_to_ever_new_users_stays_within_the_budget_and_a_resume_past_it_is_not_recovered() throws Exception {
        V1Client bob = server.v1("bob");
        String epoch = bob.epoch();
        bob.close();
        V1Client alice = server.v1("alice");
        alice.send("first", "bob", "\"kept for bob\"");
        assertThat(alice.next("ack").number("delivered")).isZero();

        String big = "\"" + "x".repeat(MESSAGE_CHARS) + "\"";
        int flood = (int) (4 * BUDGET / MESSAGE_CHARS);
        for (int i = 0; i < flood; i++) {
            alice.send("f" + i, "offline-" + i, big);
            V1Frame ack = alice.next("ack");
            assertThat(ack.text("id")).isEqualTo("f" + i);
            if (i % 16 == 0) {
                PrometheusText during = Http.metrics(server.port());
                assertThat(during.value("switchboard_history_bytes")).as("history bytes after %d sends", i)
                        .isLessThanOrEqualTo(BUDGET);
            }
        }

        PrometheusText after = Http.metrics(server.port());
        double budget = after.value("switchboard_history_budget_bytes");
        assertThat(budget).isPositive().isLessThanOrEqualTo(BUDGET);
        assertThat(after.value("switchboard_history_bytes")).isPositive().isLessThanOrEqualTo(budget);
        double entries = after.value("switchboard_history_entries");
        assertThat(entries).as("entries kept").isPositive()
                .isLessThan(flood).isLessThanOrEqualTo(budget / MESSAGE_CHARS);
        assertThat(after.value("switchboard_history_streams")).isGreaterThanOrEqualTo(entries);
        assertThat(after.value("switchboard_history_evictions_total{cause=\"budget\"}"))
                .as("entries evicted for the budget").isGreaterThanOrEqualTo(flood + 1 - entries);
        assertThat(after.value("switchboard_history_evictions_total{cause=\"ttl\"}")).isZero();
        assertThat(after.value("switchboard_history_evictions_total{cause=\"size\"}")).isZero();

        // Bob's one message was the oldest: it went first, and his resume says so.
        try (V1Client back = V1Client.resume(server.port(), "bob", 0, epoch)) {
            V1Frame welcome = back.welcome();
            assertThat(welcome.text("epoch")).isEqualTo(epoch);
            assertThat(welcome.number("seq")).isEqualTo(1);
            assertThat(welcome.bool("recovered")).isFalse();
            alice.send("live", "bob", "\"after\"");
            assertThat(alice.next("ack").number("delivered")).isEqualTo(1);
            V1Frame live = back.next("message");
            assertThat(live.number("seq")).isEqualTo(2);
            assertThat(live.text("message")).isEqualTo("after");
            back.assertNothingMore();
        }

        // The newest flood entry is still there: eviction took the oldest, not the latest.
        String user = "offline-" + (flood - 1);
        String streamEpoch;
        try (V1Client look = V1Client.connect(server.port(), user)) {
            assertThat(look.welcome().number("seq")).isEqualTo(1);
            streamEpoch = look.epoch();
        }
        try (V1Client recent = V1Client.resume(server.port(), user, 0, streamEpoch)) {
            assertThat(recent.welcome().bool("recovered")).isTrue();
            assertThat(recent.next("message").text("message")).hasSize(MESSAGE_CHARS);
        }
    }
}
