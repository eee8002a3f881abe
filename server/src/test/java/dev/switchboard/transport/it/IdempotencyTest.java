package dev.switchboard.transport.it;

import dev.switchboard.testing.Http;
import dev.switchboard.testing.IdempotencyContract;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.PrometheusText;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent publish on a single node (the in-memory key store), and the store's bound: 1/32 of
 * {@code --history-max-bytes}, the oldest keys going first, shown in {@code /metrics}.
 */
class IdempotencyTest extends IdempotencyContract {
    private static final String API_KEY = "idempotency-test-api-key";

    @RegisterExtension
    final LiveServer server = new LiveServer(() -> TestServers.config().toBuilder().apiKey(API_KEY).build());

    @Override
    protected int port() {
        return server.port();
    }

    @Override
    protected int otherPort() {
        return server.port();
    }

    @Override
    protected String apiKey() {
        return API_KEY;
    }

    @Test
    void theKeyStoreIsBoundedByTheHistoryBudgetAndShownInMetrics() throws Exception {
        server.restartWith(TestServers.bulkConfig().toBuilder().historyMaxBytes(128 * 1024).build());
        V1Client alice = server.v1("alice");
        PrometheusText before = Http.metrics(server.port());
        double max = before.value("switchboard_idempotency_keys_max");
        assertThat(max).as("128 KiB / 32 / 48 bytes a key").isEqualTo(85);

        int sends = (int) max + 20;
        for (int i = 0; i < sends; i++) {
            alice.sendText("{\"type\":\"send\",\"id\":\"s" + i + "\",\"to\":\"bob\",\"message\":" + i
                    + ",\"idempotencyKey\":\"key-" + i + "\"}");
            assertThat(alice.next("ack").text("id")).isEqualTo("s" + i);
        }
        PrometheusText after = Http.metrics(server.port());
        assertThat(after.value("switchboard_idempotency_keys")).isEqualTo(max);
        assertThat(after.value("switchboard_idempotency_keys_evicted_total")).isEqualTo(20);

        // The newest keys are still known; the oldest were let go for room, so a very late repeat
        // of one is a first use again.
        alice.sendText("{\"type\":\"send\",\"id\":\"late\",\"to\":\"bob\",\"message\":" + (sends - 1)
                + ",\"idempotencyKey\":\"key-" + (sends - 1) + "\"}");
        V1Frame recent = alice.next("ack");
        assertThat(recent.bool("duplicate")).isTrue();
        alice.sendText("{\"type\":\"send\",\"id\":\"oldest\",\"to\":\"bob\",\"message\":0,\"idempotencyKey\":\"key-0\"}");
        V1Frame oldest = alice.next("ack");
        assertThat(oldest.has("duplicate")).isFalse();
        assertThat(oldest.number("seq")).isEqualTo(sends + 1);
    }
}
