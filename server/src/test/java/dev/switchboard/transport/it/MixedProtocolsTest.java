package dev.switchboard.transport.it;

import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain-mode and {@code switchboard.v1} clients on one server: each speaks its own protocol, every
 * message to a user takes the next seq of one stream whoever sent it, and the counts include both.
 */
class MixedProtocolsTest {
    private static final String API_KEY = "an-api-key-for-the-mixed-protocols-test";

    @RegisterExtension
    final LiveServer server = new LiveServer(() -> TestServers.config().toBuilder().apiKey(API_KEY).build());

    @Test
    void a_plain_senders_message_reaches_a_v1_recipient_with_a_seq_and_the_senders_user() {
        V1Client bob = server.v1("bob");
        JdkWebSocketClient bobsTablet = server.plain("bob");
        JdkWebSocketClient anonymous = server.plain(null);
        JdkWebSocketClient alice = server.plain("alice");
        eventually().until(() -> server.node().connectionCount() == 4);
        bob.next("presence");

        anonymous.send("{\"userId\":\"bob\",\"message\":\"from nobody\"}");
        assertThat(anonymous.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");
        alice.send("{\"userId\":\"bob\",\"message\":{\"from\": \"alice\", \"n\": [1, 2]}}");
        assertThat(alice.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");

        V1Frame first = bob.next("message");
        assertThat(first.number("seq")).isEqualTo(1);
        assertThat(first.text("from")).isNull();
        assertThat(first.text("message")).isEqualTo("from nobody");
        V1Frame second = bob.next("message");
        assertThat(second.number("seq")).isEqualTo(2);
        assertThat(second.text("from")).isEqualTo("alice");
        assertThat(second.raw("message")).isEqualTo("{\"from\":\"alice\",\"n\":[1,2]}");
        assertThat(bobsTablet.next(2)).containsExactly("from nobody", "{\"from\":\"alice\",\"n\":[1,2]}");
    }

    @Test
    void a_v1_senders_message_reaches_a_plain_recipient_as_the_bare_message() {
        JdkWebSocketClient bobsTablet = server.plain("bob");
        V1Client bob = server.v1("bob");
        V1Client alice = server.v1("alice");

        alice.send("r1", "bob", "\"line1\\nline2 \\u00e9\"");
        alice.sendWithReceipt("r2", "bob", "{\"a\": [1, 2]}");
        alice.send("r3", "bob", "123456789012345678901234567890");

        assertThat(alice.next("ack", 3)).extracting(a -> a.number("delivered")).containsExactly(2L, 2L, 2L);
        assertThat(bobsTablet.next(3)).containsExactly("line1\nline2 é", "{\"a\":[1,2]}",
                "123456789012345678901234567890");
        List<V1Frame> envelopes = bob.next("message", 3);
        assertThat(envelopes).extracting(m -> m.number("seq")).containsExactly(1L, 2L, 3L);
        // Only the v1 connection can confirm: one receipt.
        bob.received(2);
        assertThat(alice.next("receipt").text("connectionId")).isEqualTo(bob.connectionId());
        bob.assertNothingMore();
        alice.assertNothingMore();
        assertThat(bobsTablet.pending()).isEmpty();
    }

    @Test
    void plain_v1_and_server_api_sends_to_a_user_share_one_stream() throws Exception {
        V1Client bob = server.v1("bob");
        JdkWebSocketClient alice = server.plain("alice");
        V1Client carol = server.v1("carol");

        alice.send("{\"userId\":\"bob\",\"message\":\"plain\"}");
        assertThat(alice.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        carol.send("r1", "bob", "\"v1\"");
        assertThat(carol.next("ack").number("seq")).isEqualTo(2);
        HttpResponse<String> api = Http.request(server.port(), "POST", "/api/users/bob/messages",
                Map.of("Authorization", "Bearer " + API_KEY), "{\"message\":\"backend\"}");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).as("the API's send takes seq 3 of the one stream")
                .isEqualTo("{\"userId\":\"bob\",\"delivered\":1,\"seq\":3}");
        carol.send("r2", "bob", "\"v1 again\"");
        assertThat(carol.next("ack").number("seq")).isEqualTo(4);

        List<V1Frame> messages = bob.next("message", 4);
        assertThat(messages).extracting(m -> m.number("seq")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(messages).extracting(m -> m.text("from")).containsExactly("alice", "carol", null, "carol");
        assertThat(messages).extracting(m -> m.text("message")).containsExactly("plain", "v1", "backend", "v1 again");
    }
}
