package dev.switchboard.app.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /dashboard/stats}: live numbers from real traffic; the API key guards them in token mode. */
class DashboardStatsTest {
    private static final String KEY = "a-dashboard-test-api-key";

    @Test
    void the_stats_follow_connections_and_messages() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        try (SwitchboardServer server = TestServers.start(TestServers.config(), new ManualClock(), scheduler)) {
            try (V1Client pc = V1Client.connect(server.port(), "bob"); V1Client phone = V1Client.connect(server.port(), "bob")) {
                for (int i = 0; i < 3; i++) {
                    phone.send("s" + i, "bob", "\"word " + i + "\"");
                }
                eventually().until(() -> get(server, Map.of()).body().contains("\"messagesTotal\":3"));
                scheduler.runAll();
                phone.send("s3", "bob", "\"word 3\"");
                eventually().until(() -> get(server, Map.of()).body().contains("\"messagesTotal\":4"));
                scheduler.runAll();

                String stats = get(server, Map.of()).body();

                assertThat(stats).contains("\"connections\":2", "\"users\":1", "\"messagesTotal\":4", "\"tickSeconds\":1");
                assertThat(stats).contains("\"messagesPerSecond\":[3,1]");
                assertThat(stats).containsPattern("\"events\":\\[\\{\"time\":\\d+,\"type\":\"connect\",\"connectionId\":\""
                        + phone.connectionId() + "\",\"userId\":\"bob\"}");
            }
            // The count drops when a close starts, the disconnect event is recorded once the socket is gone.
            java.util.regex.Pattern disconnect = java.util.regex.Pattern.compile(
                    "\"type\":\"disconnect\",\"connectionId\":\"[^\"]+\",\"userId\":\"bob\",\"code\":1000");
            eventually().until(() -> {
                String body = get(server, Map.of()).body();
                return body.contains("\"connections\":0") && disconnect.matcher(body).find();
            });
        }
    }

    @Test
    void dev_mode_without_a_key_is_open_and_with_a_key_needs_it() throws Exception {
        try (SwitchboardServer server = TestServers.start()) {
            assertThat(get(server, Map.of()).statusCode()).isEqualTo(200);
        }
        try (SwitchboardServer server = TestServers.start(TestServers.config().toBuilder().apiKey(KEY).build())) {
            assertUnauthorized(get(server, Map.of()));
            assertThat(get(server, Map.of("Authorization", "Bearer " + KEY)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void token_mode_needs_the_api_key() throws Exception {
        try (SwitchboardServer server = TestServers.start(TestServers.tokenConfig())) {
            HttpResponse<String> off = get(server, Map.of());
            assertThat(off.statusCode()).isEqualTo(403);
            assertThat(JsonObjects.parseFlat(off.body())).containsEntry("code", "api_key_required");
        }
        try (SwitchboardServer server = TestServers.start(TestServers.tokenConfig().toBuilder().apiKey(KEY).build())) {
            assertUnauthorized(get(server, Map.of()));
            assertUnauthorized(get(server, Map.of("Authorization", "Bearer wrong-key")));
            assertUnauthorized(get(server, Map.of("Authorization", KEY)));
            HttpResponse<String> ok = get(server, Map.of("Authorization", "Bearer " + KEY));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).startsWith("{\"connections\":0,");
            // The page itself holds no data: it is served to anyone and asks for the key.
            assertThat(Http.get(server.port(), "/dashboard").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(SwitchboardServer server, Map<String, String> headers) throws Exception {
        return Http.get(server.port(), "/dashboard/stats", headers);
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertThat(JsonObjects.parseFlat(response.body())).containsEntry("code", "unauthorized");
    }
}
