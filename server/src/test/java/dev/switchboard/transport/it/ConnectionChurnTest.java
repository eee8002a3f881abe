package dev.switchboard.transport.it;

import dev.switchboard.node.Node;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 5 at volume: 10,000 connections opened and closed, 1,000 at a time, leave the registry
 * exactly empty. Client and server sockets share this JVM's file limit, so a batch holds at most
 * 2,000 files. Half of each batch closes with a close frame, half drops TCP without one.
 */
class ConnectionChurnTest {
    private static final int TOTAL = 10_000;
    private static final int BATCH = 1_000;
    private static final int USERS_PER_BATCH = 400;
    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);

    private SwitchboardServer server;
    private Node node;
    private final List<JdkWebSocketClient> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
        node = server.node();
    }

    @AfterEach
    void stop() {
        open.forEach(JdkWebSocketClient::abort);
        server.close();
    }

    @Test
    void ten_thousand_connects_and_closes_leave_the_registry_empty() throws Exception {
        for (int first = 0; first < TOTAL; first += BATCH) {
            runBatch(first);
        }

        assertThat(node.connectionCount()).isZero();
        assertThat(node.userConnectionCount()).isZero();
        assertThat(node.users()).isZero();
        for (int batch = 0; batch < TOTAL / BATCH; batch++) {
            for (int user = 0; user < USERS_PER_BATCH; user++) {
                assertThat(node.localSessions(userId(batch, user))).isEmpty();
            }
        }
    }

    private void runBatch(int first) throws Exception {
        int batch = first / BATCH;
        List<CompletableFuture<JdkWebSocketClient>> opening = new ArrayList<>(BATCH);
        int registered = 0;
        Set<String> users = new HashSet<>();
        for (int i = 0; i < BATCH; i++) {
            // Every tenth connection is send-only; the rest spread over the batch's users.
            String userId = i % 10 == 9 ? null : userId(batch, i % USERS_PER_BATCH);
            if (userId != null) {
                registered++;
                users.add(userId);
            }
            opening.add(JdkWebSocketClient.connectAsync(JdkWebSocketClient.uri(server.port(), userId), Map.of()));
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new))
                .get(BATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        for (CompletableFuture<JdkWebSocketClient> client : opening) {
            open.add(client.join());
        }

        // Every client has its 101, so every connection is registered: no waiting.
        assertThat(node.connectionCount()).as("batch %d open", batch).isEqualTo(BATCH);
        assertThat(node.userConnectionCount()).isEqualTo(registered);
        assertThat(node.users()).isEqualTo(users.size());
        JdkWebSocketClient sender = open.get(9);
        sender.send("{\"userId\":\"" + userId(batch, 0) + "\",\"message\":\"ping\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"" + userId(batch, 0) + "\",\"delivered\":"
                + node.localConnections(userId(batch, 0)) + "}");

        List<CompletableFuture<CloseStatus>> closing = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
            JdkWebSocketClient client = open.get(i);
            if (i % 2 == 0) {
                client.startClose();
                closing.add(client.closed());
            } else {
                client.abort();
            }
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                .get(BATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        open.clear();

        within(BATCH_TIMEOUT).alias("batch " + batch + " fully closed")
                .until(() -> node.connectionCount() == 0 && node.userConnectionCount() == 0 && node.users() == 0);
    }

    private static String userId(int batch, int user) {
        return "churn-" + batch + "-" + user;
    }
}
