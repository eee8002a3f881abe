package dev.switchboard.transport.it;

import dev.switchboard.node.Node;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rules 1 and 5: who a connection is registered under, and that a connection leaves every count the
 * moment it closes, however it closes. Also the seed's bugs: a client without an Origin header must
 * not crash anything, and a dead socket must not stay counted.
 */
class ConnectionLifecycleTest {
    private SwitchboardServer server;
    private Node node;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = TestServers.start();
        node = server.node();
    }

    @AfterEach
    void stopServer() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        server.close();
    }

    private JdkWebSocketClient connect(String userId) {
        return track(JdkWebSocketClient.connect(server.port(), userId));
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/ws"})
    void a_connection_with_a_user_id_is_registered_under_it_on_either_path(String path) {
        JdkWebSocketClient bob = track(JdkWebSocketClient.connect(JdkWebSocketClient.uri(server.port(), path, "bob")));
        JdkWebSocketClient sender = connect(null);

        eventually().until(() -> node.localConnections("bob") == 1);
        sender.send("{\"userId\":\"bob\",\"message\":\"via " + path + "\"}");

        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("via " + path);
        assertThat(node.users()).isEqualTo(1);
        assertThat(node.connectionCount()).isEqualTo(2);
    }

    @Test
    void a_connection_is_addressable_as_soon_as_its_client_has_the_101() throws Exception {
        server.close();
        server = TestServers.start(TestServers.bulkConfig()); // 500 sends from one connection
        node = server.node();
        // The seed's ws server registers on 'connection', before any other frame is handled; a
        // server that registers only after the 101 has gone out loses sends made right away
        // (about one in five on a two-core machine, as the writing loop gets preempted).
        RawWebSocketClient sender = track(RawWebSocketClient.connect(server.port(), "/"));
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String user = "user-" + i;
            try (RawWebSocketClient target = RawWebSocketClient.connect(server.port(), "/?userId=" + user)) {
                sender.sendText("{\"userId\":\"" + user + "\",\"message\":\"right away\"}");
                String ack = sender.readText();
                if (!ack.equals("{\"userId\":\"" + user + "\",\"delivered\":1}")) {
                    missed.add(ack);
                } else {
                    assertThat(target.readText()).isEqualTo("right away");
                }
            }
        }
        assertThat(missed).isEmpty();
    }

    @Test
    void any_number_of_connections_per_user_are_registered_and_all_receive() {
        List<JdkWebSocketClient> devices = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            devices.add(connect("alice"));
        }
        eventually().until(() -> node.localConnections("alice") == 7);
        assertThat(node.users()).isEqualTo(1);
        assertThat(node.userConnectionCount()).isEqualTo(7);

        devices.get(3).send("{\"userId\":\"alice\",\"message\":\"to all my devices\"}");

        for (int i = 0; i < devices.size(); i++) {
            if (i == 3) {
                assertThat(devices.get(i).next(2))
                        .containsExactlyInAnyOrder("to all my devices", "{\"userId\":\"alice\",\"delivered\":7}");
            } else {
                assertThat(devices.get(i).next()).as("device %d", i).isEqualTo("to all my devices");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/?userId=", "/ws", "/?other=bob", "/?userid=bob"})
    void a_connection_without_a_user_id_is_accepted_as_send_only(String pathAndQuery) throws Exception {
        JdkWebSocketClient bob = connect("bob");
        eventually().until(() -> node.connectionCount() == 1);
        RawWebSocketClient sendOnly = track(RawWebSocketClient.connect(server.port(), pathAndQuery));

        eventually().until(() -> node.connectionCount() == 2);
        assertThat(node.userConnectionCount()).isEqualTo(1);
        assertThat(node.users()).isEqualTo(1);
        assertThat(node.localSessions("")).isEmpty();

        sendOnly.sendText("{\"userId\":\"bob\",\"message\":\"from nobody\"}");
        assertThat(sendOnly.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("from nobody");
    }

    @Test
    void clients_with_and_without_an_origin_header_both_work() throws Exception {
        // The seed built a URL from request.headers.origin and crashed when it was absent.
        JdkWebSocketClient noOrigin = connect("bob");
        JdkWebSocketClient withOrigin = track(JdkWebSocketClient.connect(
                JdkWebSocketClient.uri(server.port(), "bob"), Map.of("Origin", "http://example.com")));
        JdkWebSocketClient nullOrigin = track(JdkWebSocketClient.connect(
                JdkWebSocketClient.uri(server.port(), "bob"), Map.of("Origin", "null")));
        RawWebSocketClient rawNoOrigin = track(RawWebSocketClient.connect(server.port(), "/?userId=bob"));

        eventually().until(() -> node.localConnections("bob") == 4);
        noOrigin.send("{\"userId\":\"bob\",\"message\":\"hi\"}");

        assertThat(noOrigin.next(2)).containsExactlyInAnyOrder("hi", "{\"userId\":\"bob\",\"delivered\":4}");
        assertThat(withOrigin.next()).isEqualTo("hi");
        assertThat(nullOrigin.next()).isEqualTo("hi");
        assertThat(rawNoOrigin.readText()).isEqualTo("hi");
    }

    @Test
    void an_upgrade_on_another_path_is_refused() {
        URI elsewhere = URI.create("ws://127.0.0.1:" + server.port() + "/chat?userId=bob");

        assertThatThrownBy(() -> RawWebSocketClient.connect(server.port(), "/chat?userId=bob"))
                .isInstanceOfSatisfying(RawWebSocketClient.HandshakeFailed.class,
                        failed -> assertThat(failed.statusLine()).startsWith("HTTP/1.1 404"));
        assertThatThrownBy(() -> JdkWebSocketClient.connect(elsewhere)).isInstanceOf(AssertionError.class);
        assertThat(node.connectionCount()).isZero();
    }

    @Test
    void a_closed_device_is_not_counted_in_the_very_next_send() {
        JdkWebSocketClient phone = connect("bob");
        JdkWebSocketClient laptop = connect("bob");
        JdkWebSocketClient tablet = connect("bob");
        JdkWebSocketClient sender = connect(null);
        eventually().until(() -> node.localConnections("bob") == 3);

        sender.send("{\"userId\":\"bob\",\"message\":\"one\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":3}");

        // close() returns once the server has answered the close frame; it unregisters before answering.
        laptop.close();
        sender.send("{\"userId\":\"bob\",\"message\":\"two\"}");

        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");
        assertThat(phone.next(2)).containsExactly("one", "two");
        assertThat(tablet.next(2)).containsExactly("one", "two");
        assertThat(node.localSessions("bob")).hasSize(2);
        assertThat(node.connectionCount()).isEqualTo(3);
    }

    @Test
    void a_user_whose_last_connection_closed_leaves_no_entry() {
        JdkWebSocketClient first = connect("bob");
        JdkWebSocketClient second = connect("bob");
        JdkWebSocketClient sender = connect(null);
        eventually().until(() -> node.localConnections("bob") == 2);
        assertThat(node.users()).isEqualTo(1);

        first.close();
        assertThat(node.localSessions("bob")).hasSize(1);
        assertThat(node.users()).isEqualTo(1);
        second.close();

        assertThat(node.localSessions("bob")).isEmpty();
        assertThat(node.users()).isZero();
        assertThat(node.userConnectionCount()).isZero();
        assertThat(node.connectionCount()).isEqualTo(1);
        sender.send("{\"userId\":\"bob\",\"message\":\"anyone?\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":0}");
    }

    @Test
    void the_server_answers_a_client_close_with_the_same_code() throws Exception {
        RawWebSocketClient client = track(RawWebSocketClient.connect(server.port(), "/?userId=bob"));
        eventually().until(() -> node.connectionCount() == 1);

        client.sendClose(4321, "leaving");

        CloseStatus answer = client.awaitClose();
        assertThat(answer.code()).isEqualTo(4321);
        assertThat(node.connectionCount()).isZero();
        assertThat(node.users()).isZero();
        assertThat(client.awaitEndOfStream()).isTrue();
    }

    @Test
    void a_client_that_vanishes_without_a_close_frame_is_no_longer_counted() throws Exception {
        // The seed never removed dead sockets from its pool, so counts only grew.
        RawWebSocketClient crashed = track(RawWebSocketClient.connect(server.port(), "/?userId=bob"));
        JdkWebSocketClient alive = connect("bob");
        JdkWebSocketClient sender = connect(null);
        eventually().until(() -> node.localConnections("bob") == 2);

        crashed.abort(); // TCP reset, no close frame

        eventually().until(() -> node.localConnections("bob") == 1);
        assertThat(node.connectionCount()).isEqualTo(2);
        sender.send("{\"userId\":\"bob\",\"message\":\"still there?\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(alive.next()).isEqualTo("still there?");
    }

    @Test
    void a_client_that_vanishes_in_the_middle_of_a_fragmented_message_is_not_a_server_error() throws Exception {
        RawWebSocketClient crashed = track(RawWebSocketClient.connect(server.port(), "/?userId=bob"));
        eventually().until(() -> node.localConnections("bob") == 1);
        crashed.sendFrame(false, RawWebSocketClient.TEXT, "{\"userId\":\"bob\",".getBytes(StandardCharsets.UTF_8));
        // A pong round trip proves the fragment was read before the connection drops.
        crashed.sendPing(new byte[] {7});
        assertThat(crashed.readFrame().opcode()).isEqualTo(RawWebSocketClient.PONG);

        crashed.abort();

        // A session leaves the connection count before its user's count: wait for both.
        eventually().until(() -> node.connectionCount() == 0 && node.users() == 0);
        // Losing a client is routine: it must not be recorded as the server failing (1011).
        assertThat(Http.metrics(server.port()).series("switchboard_closes_total"))
                .doesNotContainKey("switchboard_closes_total{code=\"1011\"}");
    }

    @Test
    void a_jdk_client_that_aborts_is_no_longer_counted() {
        JdkWebSocketClient gone = connect("bob");
        JdkWebSocketClient sender = connect(null);
        eventually().until(() -> node.localConnections("bob") == 1);

        gone.abort();

        eventually().until(() -> node.users() == 0);
        assertThat(node.localSessions("bob")).isEmpty();
        assertThat(node.connectionCount()).isEqualTo(1);
        sender.send("{\"userId\":\"bob\",\"message\":\"x\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":0}");
    }
}
