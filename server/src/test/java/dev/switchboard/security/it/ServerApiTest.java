package dev.switchboard.security.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.PrometheusText;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The HTTP server API for backends ({@code --api-key KEY}, {@code Authorization: Bearer KEY}):
 * publish to a user, look a user up, disconnect a user; every error a JSON body
 * {@code {"error","code"}} with a precise status. Without a key the API does not exist (404).
 */
class ServerApiTest {
    private static final String KEY = "the-api-key-for-tests-0123456789";
    private static final Map<String, String> AUTHORIZED = Map.of("Authorization", "Bearer " + KEY);
    private static final int MAX_BODY = 4096;

    private SwitchboardServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(TestServers.config().toBuilder().apiKey(KEY).maxHttpBodyBytes(MAX_BODY).build());
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

    /** A user id as one path segment: percent-encoded UTF-8, {@code /} included. */
    private static String segment(String userId) {
        return URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return Http.request(server.port(), method, path, AUTHORIZED, body);
    }

    private HttpResponse<String> post(String userId, String body) throws Exception {
        return call("POST", "/api/users/" + segment(userId) + "/messages", body);
    }

    private static Map<String, Object> json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return JsonObjects.parseFlat(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        json(response, status);
        JsonErrors.assertError(response.body(), code);
    }

    // --- the three endpoints -----------------------------------------------------------------

    @Test
    void post_delivers_to_every_connection_of_the_user_and_reports_how_many() throws Exception {
        JdkWebSocketClient phone = connect("bob");
        JdkWebSocketClient laptop = connect("bob");
        JdkWebSocketClient alice = connect("alice");

        Map<String, Object> answer = json(post("bob", "{\"message\":\"from the backend\"}"), 200);

        assertThat(answer).containsOnlyKeys("userId", "delivered", "seq")
                .containsEntry("userId", "bob").containsEntry("delivered", 2L);
        assertThat((Long) answer.get("seq")).isPositive();
        assertThat(phone.next()).isEqualTo("from the backend");
        assertThat(laptop.next()).isEqualTo("from the backend");
        alice.send("{\"userId\":\"alice\",\"message\":\"marker\"}");
        assertThat(alice.next(2)).containsExactlyInAnyOrder("{\"userId\":\"alice\",\"delivered\":1}", "marker");
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                arguments("{\"message\":\"plain text\"}", "plain text"),
                arguments("{\"message\":{\"kind\":\"order\",\"id\":7}}", "{\"kind\":\"order\",\"id\":7}"),
                arguments("{\"message\":[1, 2, {\"a\": null}]}", "[1,2,{\"a\":null}]"),
                arguments("{\"message\":42}", "42"),
                arguments("{\"message\":null}", "null"),
                arguments("{\"other\":1,\"message\":\"others ignored\"}", "others ignored"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void any_json_message_is_delivered_as_plain_clients_receive_it(String body, String expected) throws Exception {
        JdkWebSocketClient bob = connect("bob");

        assertThat(json(post("bob", body), 200)).containsEntry("delivered", 1L);

        assertThat(bob.next()).isEqualTo(expected);
    }

    @Test
    void post_to_an_offline_user_delivers_to_none() throws Exception {
        assertThat(json(post("nobody", "{\"message\":\"hello?\"}"), 200))
                .containsExactly(Map.entry("userId", "nobody"), Map.entry("delivered", 0L), Map.entry("seq", 1L));
    }

    @Test
    void get_tells_whether_a_user_is_online_and_with_how_many_connections() throws Exception {
        connect("bob");
        connect("bob");

        assertThat(json(call("GET", "/api/users/bob", null), 200)).containsExactly(
                Map.entry("userId", "bob"), Map.entry("online", true), Map.entry("connections", 2L));
        assertThat(json(call("GET", "/api/users/nobody", null), 200)).containsExactly(
                Map.entry("userId", "nobody"), Map.entry("online", false), Map.entry("connections", 0L));
    }

    @Test
    void delete_closes_every_connection_of_the_user_with_4003() throws Exception {
        JdkWebSocketClient phone = connect("bob");
        JdkWebSocketClient laptop = connect("bob");
        JdkWebSocketClient alice = connect("alice");

        assertThat(json(call("DELETE", "/api/users/bob/connections", null), 200))
                .containsExactly(Map.entry("userId", "bob"), Map.entry("closed", 2L));

        assertThat(phone.awaitClose()).isEqualTo(new CloseStatus(4003, "disconnected by the server API"));
        assertThat(laptop.awaitClose()).isEqualTo(new CloseStatus(4003, "disconnected by the server API"));
        assertThat(json(call("GET", "/api/users/bob", null), 200)).containsEntry("online", false);
        assertThat(json(call("DELETE", "/api/users/bob/connections", null), 200)).containsEntry("closed", 0L);
        assertThat(alice.isClosed()).isFalse();
        eventually().until(() -> server.node().connectionCount() == 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"team/alpha", "刘宝", "用户 一", "a?b#c&d=e%f", "c++"})
    void user_ids_with_slashes_spaces_and_chinese_characters_work_in_the_path(String userId) throws Exception {
        JdkWebSocketClient client = connect(userId);

        assertThat(json(post(userId, "{\"message\":\"hi " + userId + "\"}"), 200))
                .containsExactly(Map.entry("userId", userId), Map.entry("delivered", 1L), Map.entry("seq", 1L));
        assertThat(client.next()).isEqualTo("hi " + userId);
        assertThat(json(call("GET", "/api/users/" + segment(userId), null), 200))
                .containsEntry("userId", userId).containsEntry("connections", 1L);
        assertThat(json(call("DELETE", "/api/users/" + segment(userId) + "/connections", null), 200))
                .containsEntry("closed", 1L);
        assertThat(client.awaitClose().code()).isEqualTo(4003);
    }

    @Test
    void a_plus_sign_in_the_path_is_a_plus_not_a_space() throws Exception {
        JdkWebSocketClient cpp = connect("c++");

        // RFC 3986: only the query gives '+' a meaning; a path segment may carry it unencoded.
        assertThat(json(call("POST", "/api/users/c++/messages", "{\"message\":\"raw plus\"}"), 200))
                .containsExactly(Map.entry("userId", "c++"), Map.entry("delivered", 1L), Map.entry("seq", 1L));
        assertThat(cpp.next()).isEqualTo("raw plus");
    }

    // --- errors ------------------------------------------------------------------------------

    @ParameterizedTest(name = "body <{0}>")
    @ValueSource(strings = {"{\"message\":", "not json", "{\"message\":\"a\"} {}", "{'message':'single quotes'}", ""})
    void a_body_that_is_not_json_is_400(String body) throws Exception {
        JdkWebSocketClient bob = connect("bob");

        assertError(post("bob", body), 400, "invalid_json");
        assertNothingDelivered(bob);
    }

    @Test
    void a_body_without_a_message_is_422_missing_message() throws Exception {
        assertError(post("bob", "{\"text\":\"hi\"}"), 422, "missing_message");
        assertError(post("bob", "{}"), 422, "missing_message");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[\"hi\"]", "\"hi\"", "42", "null"})
    void a_body_that_is_not_an_object_is_422_invalid_message(String body) throws Exception {
        assertError(post("bob", body), 422, "invalid_message");
    }

    static Stream<Arguments> unauthorized() {
        return Stream.of(
                arguments("no Authorization header", Map.of()),
                arguments("a wrong key", Map.of("Authorization", "Bearer wrong-key")),
                arguments("the key with a suffix", Map.of("Authorization", "Bearer " + KEY + "x")),
                arguments("a prefix of the key", Map.of("Authorization", "Bearer " + KEY.substring(0, 10))),
                arguments("the key under Basic", Map.of("Authorization", "Basic " + KEY)),
                arguments("the key without a scheme", Map.of("Authorization", KEY)),
                arguments("an empty Bearer", Map.of("Authorization", "Bearer ")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unauthorized")
    void a_missing_or_wrong_key_is_401_with_www_authenticate(String what, Map<String, String> headers) throws Exception {
        JdkWebSocketClient bob = connect("bob");
        for (String[] request : new String[][] {
                {"POST", "/api/users/bob/messages", "{\"message\":\"x\"}"},
                {"GET", "/api/users/bob", null},
                {"DELETE", "/api/users/bob/connections", null},
                {"GET", "/api/no/such/path", null}}) {
            HttpResponse<String> response = Http.request(server.port(), request[0], request[1], headers, request[2]);
            assertError(response, 401, "unauthorized");
            assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer");
        }
        assertThat(bob.isClosed()).isFalse();
        assertNothingDelivered(bob);
    }

    @Test
    void a_body_over_the_limit_is_413() throws Exception {
        JdkWebSocketClient bob = connect("bob");

        HttpResponse<String> response = post("bob", "{\"message\":\"" + "x".repeat(MAX_BODY) + "\"}");

        assertError(response, 413, "body_too_large");
        assertNothingDelivered(bob);
    }

    @Test
    void a_body_at_the_limit_is_accepted() throws Exception {
        JdkWebSocketClient bob = connect("bob");
        String message = "x".repeat(MAX_BODY - "{\"message\":\"\"}".length());

        assertThat(json(post("bob", "{\"message\":\"" + message + "\"}"), 200)).containsEntry("delivered", 1L);
        assertThat(bob.next()).isEqualTo(message);
    }

    static Stream<Arguments> wrongMethods() {
        return Stream.of(
                arguments("GET", "/api/users/bob/messages", "POST"),
                arguments("PUT", "/api/users/bob/messages", "POST"),
                arguments("POST", "/api/users/bob", "GET"),
                arguments("DELETE", "/api/users/bob", "GET"),
                arguments("GET", "/api/users/bob/connections", "DELETE"),
                arguments("POST", "/api/users/bob/connections", "DELETE"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongMethods")
    void a_wrong_method_is_405_with_allow(String method, String path, String allowed) throws Exception {
        JdkWebSocketClient bob = connect("bob");

        HttpResponse<String> response = call(method, path, method.equals("GET") || method.equals("DELETE")
                ? null : "{\"message\":\"x\"}");

        assertError(response, 405, "method_not_allowed");
        assertThat(response.headers().firstValue("allow")).hasValue(allowed);
        assertThat(bob.isClosed()).isFalse();
        assertNothingDelivered(bob);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api", "/api/", "/api/users", "/api/users/", "/api/users/bob/unknown",
            "/api/users/bob/messages/extra", "/api/v2/users/bob", "/api/groups/x/messages"})
    void an_unknown_api_path_is_404(String path) throws Exception {
        assertError(call("GET", path, null), 404, "not_found");
    }

    @Test
    void an_empty_user_id_in_the_path_is_422_and_never_taken_for_another_path() throws Exception {
        JdkWebSocketClient messages = connect("messages");
        JdkWebSocketClient bob = connect("bob");

        assertError(call("GET", "/api/users//messages", null), 422, "invalid_user_id");
        assertError(call("POST", "/api/users//messages", "{\"message\":\"x\"}"), 422, "invalid_user_id");
        assertError(call("DELETE", "/api/users//connections", null), 422, "invalid_user_id");
        assertError(call("GET", "/api/users//", null), 422, "invalid_user_id");
        assertError(call("DELETE", "/api/users/bob//connections", null), 404, "not_found");
        assertError(call("POST", "/api/users/bob//messages", "{\"message\":\"x\"}"), 404, "not_found");

        assertThat(bob.isClosed()).as("nothing acted on bob").isFalse();
        assertNothingDelivered(bob);
        assertThat(messages.pending()).as("nothing reached the user named \"messages\"").isEmpty();
    }

    @Test
    void api_sends_are_counted_in_the_metrics_like_websocket_sends() throws Exception {
        connect("bob");
        PrometheusText before = Http.metrics(server.port());

        json(post("bob", "{\"message\":\"counted\"}"), 200);
        json(post("nobody", "{\"message\":\"offline\"}"), 200);

        PrometheusText after = Http.metrics(server.port());
        assertThat(after.value("switchboard_messages_routed_total") - before.value("switchboard_messages_routed_total"))
                .isEqualTo(2.0);
        assertThat(after.value("switchboard_messages_delivered_total")
                - before.value("switchboard_messages_delivered_total")).isEqualTo(1.0);
        assertThat(after.value("switchboard_messages_offline_total") - before.value("switchboard_messages_offline_total"))
                .isEqualTo(1.0);
    }

    @Test
    void a_trailing_slash_is_tolerated() throws Exception {
        connect("bob");
        assertThat(json(call("GET", "/api/users/bob/", null), 200)).containsEntry("connections", 1L);
    }

    @Test
    void a_user_id_over_256_characters_is_422() throws Exception {
        assertError(post("u".repeat(257), "{\"message\":\"x\"}"), 422, "invalid_user_id");
        assertThat(json(post("u".repeat(256), "{\"message\":\"x\"}"), 200)).containsEntry("delivered", 0L);
    }

    @Test
    void without_a_configured_key_every_api_path_is_404() throws Exception {
        try (SwitchboardServer noKey = TestServers.start()) {
            JdkWebSocketClient bob = JdkWebSocketClient.connect(noKey.port(), "bob");
            clients.add(bob);
            Map<String, String> withSomeKey = new HashMap<>(AUTHORIZED);
            for (String[] request : new String[][] {
                    {"POST", "/api/users/bob/messages", "{\"message\":\"x\"}"},
                    {"GET", "/api/users/bob", null},
                    {"DELETE", "/api/users/bob/connections", null},
                    {"GET", "/api", null},
                    {"GET", "/api/anything", null}}) {
                for (Map<String, String> headers : List.of(Map.<String, String>of(), withSomeKey)) {
                    HttpResponse<String> response = Http.request(noKey.port(), request[0], request[1], headers, request[2]);
                    assertError(response, 404, "not_found");
                }
            }
            assertThat(bob.isClosed()).isFalse();
            bob.send("{\"userId\":\"bob\",\"message\":\"marker\"}");
            assertThat(bob.next(2)).containsExactlyInAnyOrder("{\"userId\":\"bob\",\"delivered\":1}", "marker");
        }
    }

    /** Bob's next message is a marker posted now: nothing of the refused request reached him. */
    private void assertNothingDelivered(JdkWebSocketClient bob) throws Exception {
        assertThat(json(post("bob", "{\"message\":\"marker\"}"), 200)).containsEntry("delivered", 1L);
        assertThat(bob.next()).isEqualTo("marker");
    }
}
