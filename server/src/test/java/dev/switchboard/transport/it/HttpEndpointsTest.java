package dev.switchboard.transport.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.PrometheusText;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Rule 9: plain HTTP on the WebSocket port — {@code /health}, {@code /metrics} (whose counters must
 * follow real traffic), a JSON 404, and a page for a browser at {@code /}.
 */
class HttpEndpointsTest {
    private SwitchboardServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        server.close();
    }

    private JdkWebSocketClient connect(String userId) {
        JdkWebSocketClient client = JdkWebSocketClient.connect(server.port(), userId);
        clients.add(client);
        return client;
    }

    @Test
    void health_is_200_json_with_status_up_and_live_counts() throws Exception {
        connect("bob");
        connect("bob");
        connect(null);
        eventually().until(() -> server.node().connectionCount() == 3);

        HttpResponse<String> response = Http.get(server.port(), "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        Map<String, Object> health = JsonObjects.parseFlat(response.body());
        assertThat(health).containsEntry("status", "up").containsEntry("connections", 3L).containsEntry("users", 1L);
    }

    @Test
    void metrics_counters_move_with_real_traffic() throws Exception {
        JdkWebSocketClient phone = connect("bob");
        JdkWebSocketClient laptop = connect("bob");
        JdkWebSocketClient alice = connect("alice");
        eventually().until(() -> server.node().connectionCount() == 3);
        PrometheusText before = Http.metrics(server.port());

        for (int i = 0; i < 3; i++) {
            alice.send("{\"userId\":\"bob\",\"message\":\"m" + i + "\"}");
            assertThat(alice.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");
        }
        alice.send("{\"userId\":\"nobody\",\"message\":\"hello?\"}");
        assertThat(alice.next()).isEqualTo("{\"userId\":\"nobody\",\"delivered\":0}");
        alice.send("oops");
        assertThat(alice.next()).contains("\"code\":\"invalid_json\"");
        alice.send("{\"message\":\"to whom?\"}");
        assertThat(alice.next()).contains("\"code\":\"missing_user_id\"");
        assertThat(phone.next(3)).containsExactly("m0", "m1", "m2");
        assertThat(laptop.next(3)).containsExactly("m0", "m1", "m2");

        PrometheusText after = Http.metrics(server.port());

        assertThat(after.value("switchboard_connections")).isEqualTo(3);
        assertThat(after.value("switchboard_users_online")).isEqualTo(2);
        assertMoved(before, after, "switchboard_frames_received_total", 6);
        assertMoved(before, after, "switchboard_messages_delivered_total", 6);
        assertMoved(before, after, "switchboard_messages_offline_total", 1);
        assertMoved(before, after, "switchboard_errors_total{code=\"invalid_json\"}", 1);
        assertMoved(before, after, "switchboard_errors_total{code=\"missing_user_id\"}", 1);
        assertMoved(before, after, "switchboard_errors_total{code=\"missing_message\"}", 0);
        // Every routed send is timed, offline ones included.
        assertMoved(before, after, "switchboard_route_latency_seconds_count", 4);
        assertMoved(before, after, "switchboard_route_latency_seconds_bucket{le=\"+Inf\"}", 4);
        assertThat(after.series("switchboard_route_latency_seconds_bucket")).hasSizeGreaterThan(2);
    }

    @Test
    void the_connection_gauges_follow_closes_at_once() throws Exception {
        JdkWebSocketClient phone = connect("bob");
        connect("bob");
        connect(null);
        eventually().until(() -> server.node().connectionCount() == 3);

        phone.close();
        PrometheusText oneLess = Http.metrics(server.port());

        assertThat(oneLess.value("switchboard_connections")).isEqualTo(2);
        assertThat(oneLess.value("switchboard_users_online")).isEqualTo(1);
    }

    @Test
    void an_unknown_path_is_a_json_404() throws Exception {
        HttpResponse<String> response = Http.get(server.port(), "/no/such/thing?x=1");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        Map<String, Object> error = JsonObjects.parseFlat(response.body());
        assertThat(error).containsOnlyKeys("error", "code").containsEntry("code", "not_found");
        assertThat((String) error.get("error")).isNotBlank();
    }

    @Test
    void a_browser_at_the_root_gets_an_html_page() throws Exception {
        HttpResponse<String> response = Http.get(server.port(), "/",
                Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).containsIgnoringCase("<html").contains("userId");
    }

    @Test
    void the_javascript_client_is_served_as_a_revalidated_module() throws Exception {
        String client = resource("/static/switchboard.js");
        String transports = resource("/static/switchboard-sse.js");
        String bundle = client.replace("import { openSocket } from \"./switchboard-sse.js\";\n", transports);
        assertThat(bundle).as("the client imports its transports module").isNotEqualTo(client);

        HttpResponse<String> response = Http.get(server.port(), "/switchboard.js");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(response.body()).as("served as one module: the import replaced by the module")
                .isEqualTo(bundle).contains("export class SwitchboardClient").contains("export class SseSocket")
                .doesNotContain("from \"./switchboard-sse.js\"");
        String etag = response.headers().firstValue("etag").orElseThrow();
        assertThat(etag).matches("\"[A-Za-z0-9_-]+\"");

        HttpResponse<String> unchanged = Http.get(server.port(), "/switchboard.js", Map.of("If-None-Match", etag));
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("etag")).hasValue(etag);

        HttpResponse<String> changed = Http.get(server.port(), "/switchboard.js",
                Map.of("If-None-Match", "\"an-older-version\""));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).hasSize(response.body().length());
    }

    @Test
    void http_and_websocket_share_the_port_without_disturbing_each_other() throws Exception {
        JdkWebSocketClient bob = connect("bob");
        JdkWebSocketClient alice = connect("alice");

        for (int i = 0; i < 20; i++) {
            assertThat(Http.get(server.port(), "/health").statusCode()).isEqualTo(200);
            alice.send("{\"userId\":\"bob\",\"message\":\"" + i + "\"}");
        }

        assertThat(alice.next(20)).containsOnly("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next(20)).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 20).mapToObj(Integer::toString).toList());
    }

    private static void assertMoved(PrometheusText before, PrometheusText after, String series, double by) {
        assertThat(after.value(series) - before.value(series)).as(series).isCloseTo(by, within(1e-9));
    }

    private static String resource(String name) throws java.io.IOException {
        try (InputStream in = HttpEndpointsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
