package dev.switchboard.client;

import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.ProxiedServer;
import dev.switchboard.testing.ChaosProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sends that piled up while the client was disconnected go out after the reconnect at a pace the
 * server's default rate limit (100/s, burst 200) accepts: none is refused as {@code rate_limited},
 * and they arrive in order. Written all at once, a third of these would be refused.
 */
class BacklogPacingTest {
    private static final int BACKLOG = 300;

    private ProxiedServer server;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBacklogLargerThanTheServersBurstIsResentWithinItsRateLimitInOrder() throws Exception {
        server = ProxiedServer.start(config -> config.maxMessagesPerSecond(100).messageBurst(200));
        ChaosProxy proxy = server.proxy();
        Recorder bobs = new Recorder();
        server.connect(server.direct(), "bob", bobs);
        SwitchboardClient alice = server.connect(proxy.uri(), "alice", new Recorder());

        proxy.refuseNew(true);
        proxy.cutAll();
        await().until(() -> alice.state() != ConnectionState.OPEN);
        List<CompletableFuture<Ack>> acks = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            acks.add(alice.sendJson("bob", Integer.toString(i)));
        }
        proxy.refuseNew(false);

        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> bobs.messageCount() == BACKLOG);
        assertThat(bobs.messages()).extracting(Message::json)
                .containsExactlyElementsOf(IntStream.range(0, BACKLOG).mapToObj(Integer::toString).toList());
    }
}
