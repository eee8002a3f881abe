package dev.switchboard.app.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app is composed only when it is on: with {@code --no-app} its pages, the dashboard and pairing
 * answer 404 like any unknown path, while WebSockets, the API and the server's own pages stay.
 */
class AppSwitchTest {
    private static final String[] APP_PATHS = {"/app/pc", "/app/phone", "/dashboard", "/app/app.css", "/app/mode",
        "/dashboard/stats"};

    @Test
    void withTheAppOnItsPathsAreServed() throws Exception {
        try (SwitchboardServer server = TestServers.start(TestServers.config())) {
            for (String path : APP_PATHS) {
                assertThat(Http.get(server.port(), path).statusCode()).as(path).isEqualTo(200);
            }
        }
    }

    @Test
    void withNoAppItsPathsAndPairingAre404AndTheRestStays() throws Exception {
        try (SwitchboardServer server = TestServers.start(TestServers.tokenConfig().toBuilder().app(false).build())) {
            for (String path : APP_PATHS) {
                var response = Http.get(server.port(), path);
                assertThat(response.statusCode()).as(path).isEqualTo(404);
                JsonErrors.assertError(response.body(), "not_found");
            }
            var pair = Http.request(server.port(), "POST", "/app/pair", Map.of("Authorization", "Bearer x"), "");
            assertThat(pair.statusCode()).isEqualTo(404);
            assertThat(Http.get(server.port(), "/health").statusCode()).isEqualTo(200);
            assertThat(Http.get(server.port(), "/switchboard.js").statusCode()).isEqualTo(200);
        }
    }
}
