package dev.switchboard.client;

import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.Servers;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What the client tells its caller when something is wrong reads as a reason, not as a library's internals. */
class ClientErrorTextsTest {
    @Test
    void aRefusedConnectionSaysWhereAndWhy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Recorder recorder = new Recorder();
        SwitchboardClient client = recorder.attach(SwitchboardClient.builder(URI.create("ws://127.0.0.1:" + closedPort + "/"))
                .userId("bob").options(Servers.fastOptions())).build();
        try {
            client.connect();
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.states().stream()
                    .anyMatch(change -> change.reason().startsWith("could not connect")));
            String reason = recorder.states().stream().map(StateChange::reason)
                    .filter(r -> r.startsWith("could not connect")).findFirst().orElseThrow();
            assertThat(reason).isEqualTo("could not connect to ws://127.0.0.1:" + closedPort
                    + "/: connection refused (ConnectException)");
        } finally {
            client.close();
        }
    }

    @Test
    void jsonThatIsNotJsonIsRefusedWithTheReasonAndThePosition() {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("ws://127.0.0.1:1/")).userId("bob").build();
        try {
            assertThatThrownBy(() -> client.sendJson("alice", "{\"a\":"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not JSON: Unexpected end-of-input within/between Object entries (line 1, column 6)");
            assertThatThrownBy(() -> client.sendJson("alice", "{"))
                    .hasMessageContaining("start marker at line 1, column 1")
                    .hasMessageNotContaining("Source").hasMessageNotContaining("REDACTED");
        } finally {
            client.close();
        }
    }
}
