package dev.switchboard.transport.it;

import dev.switchboard.server.ServerConfig;
import dev.switchboard.transport.TransportOptions;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.ClosingRace;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * {@code delivered} never counts a connection that is closing or closed: sends race closes by the
 * client and by the server, and every count equals the connections that actually got the message.
 */
class DeliveredWhileClosingTest {
    private static final String API_KEY = "closing-race-api-key";

    @Test
    void everyCountEqualsTheConnectionsThatReceivedTheMessage() throws Exception {
        try (SwitchboardServer server = TestServers.start(TestServers.bulkConfig().toBuilder().apiKey(API_KEY).build())) {
            ClosingRace.run(server.port(), List.of(server.port()), "bob", () -> disconnect(server.port(), "bob"),
                    TransportOptions.DEFAULT_MAX_MESSAGE_BYTES);
        }
    }

    static void disconnect(int port, String user) {
        try {
            Http.request(port, "DELETE", "/api/users/" + user + "/connections",
                    Map.of("Authorization", "Bearer " + API_KEY), null);
        } catch (Exception e) {
            throw new AssertionError("the API's disconnect failed", e);
        }
    }
}
