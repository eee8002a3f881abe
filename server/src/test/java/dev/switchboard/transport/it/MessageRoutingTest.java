package dev.switchboard.transport.it;

import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules 2 and 3 of the plain (seed) contract, over real connections: a send reaches every open
 * connection of the named user as one text frame, and the sender learns how many it was queued to.
 */
class MessageRoutingTest {
    private SwitchboardServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = TestServers.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        server.close();
    }

    private void restartWith(ServerConfig config) throws Exception {
        server.close();
        server = TestServers.start(config);
    }

    private JdkWebSocketClient connect(String userId) {
        JdkWebSocketClient client = JdkWebSocketClient.connect(server.port(), userId);
        clients.add(client);
        return client;
    }

    private RawWebSocketClient connectRaw(String pathAndQuery) throws Exception {
        RawWebSocketClient client = RawWebSocketClient.connect(server.port(), pathAndQuery);
        clients.add(client);
        return client;
    }

    @Test
    void a_string_message_reaches_every_connection_of_the_user_verbatim_and_the_sender_gets_the_count() {
        JdkWebSocketClient phone = connect("bob");
        JdkWebSocketClient laptop = connect("bob");
        JdkWebSocketClient alice = connect("alice");
        JdkWebSocketClient sender = connect(null);

        sender.send("{\"userId\":\"bob\",\"message\":\"hello bob\"}");

        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");
        assertThat(phone.next()).isEqualTo("hello bob");
        assertThat(laptop.next()).isEqualTo("hello bob");
        // alice was not addressed: the next thing she gets is her own message.
        sender.send("{\"userId\":\"alice\",\"message\":\"only for alice\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"alice\",\"delivered\":1}");
        assertThat(alice.next()).isEqualTo("only for alice");
        assertThat(phone.pending()).isEmpty();
        assertThat(laptop.pending()).isEmpty();
    }

    /** Numbers keep the sender's text: a round trip through double would change their value. */
    @ParameterizedTest(name = "{0} arrives as {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "{\"a\": [1, 2]}                      | {\"a\":[1,2]}",
            "[ 1 , \"two\" , { \"three\" : 3 } ]  | [1,\"two\",{\"three\":3}]",
            "42                                   | 42",
            "-1.5e3                               | -1.5e3",
            "[1e400, -0.0, 1.0]                   | [1e400,-0.0,1.0]",
            "0.1000000000000000055511151231257827 | 0.1000000000000000055511151231257827",
            "123456789012345678901234567890       | 123456789012345678901234567890",
            "true                                 | true",
            "false                                | false",
            "null                                 | null",
            "{ }                                  | {}",
            "{\"s\" : \"a \\\"quoted\\\" \\u00e9\"} | {\"s\":\"a \\\"quoted\\\" é\"}",
    })
    void a_non_string_message_arrives_as_its_compact_json(String message, String expected) {
        JdkWebSocketClient bob = connect("bob");
        JdkWebSocketClient sender = connect(null);

        sender.send("{\"userId\":\"bob\",\"message\":" + message + "}");

        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo(expected);
    }

    @Test
    void a_json_string_arrives_unescaped_exactly_as_the_string_value() {
        JdkWebSocketClient bob = connect("bob");
        JdkWebSocketClient sender = connect(null);

        sender.send("{\"userId\":\"bob\",\"message\":\"line1\\nline2 \\\"q\\\" \\\\ \\u00e9 \\ud83d\\udd28 {\\\"not\\\":\\\"json\\\"}\"}");

        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("line1\nline2 \"q\" \\ é 🔨 {\"not\":\"json\"}");
    }

    @Test
    void chinese_and_emoji_round_trip_byte_exact() throws Exception {
        String text = "给你bob一个大铁锤 🔨 刘宝的小爱心 ❤️ 𠀀 end";
        RawWebSocketClient bob = connectRaw("/?userId=bob");
        RawWebSocketClient sender = connectRaw("/");

        sender.sendText("{\"userId\":\"bob\",\"message\":\"" + text + "\"}");

        assertThat(sender.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        RawWebSocketClient.Frame frame = bob.readFrame();
        assertThat(frame.opcode()).isEqualTo(RawWebSocketClient.TEXT);
        assertThat(frame.fin()).isTrue();
        assertThat(frame.payload()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_chinese_user_id_from_the_url_is_addressable_and_echoed_in_the_ack() {
        JdkWebSocketClient liubao = connect("刘宝");
        JdkWebSocketClient sender = connect(null);

        sender.send("{\"userId\":\"刘宝\",\"message\":\"给刘宝一个小爱心\"}");

        assertThat(sender.next()).isEqualTo("{\"userId\":\"刘宝\",\"delivered\":1}");
        assertThat(liubao.next()).isEqualTo("给刘宝一个小爱心");
    }

    @Test
    void a_binary_frame_holding_utf8_json_is_routed_and_delivered_as_one_text_frame() throws Exception {
        RawWebSocketClient bob = connectRaw("/?userId=bob");
        JdkWebSocketClient sender = connect(null);

        sender.sendBinary("{\"userId\":\"bob\",\"message\":\"二进制 binary\"}".getBytes(StandardCharsets.UTF_8));
        sender.sendBinary("{\"userId\":\"bob\",\"message\":{\"k\": [true]}}".getBytes(StandardCharsets.UTF_8));

        assertThat(sender.next(2)).containsExactly(
                "{\"userId\":\"bob\",\"delivered\":1}", "{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.readFrame()).satisfies(frame -> {
            assertThat(frame.opcode()).isEqualTo(RawWebSocketClient.TEXT);
            assertThat(frame.text()).isEqualTo("二进制 binary");
        });
        assertThat(bob.readText()).isEqualTo("{\"k\":[true]}");
        assertThat(sender.binaryMessagesReceived()).isZero();
    }

    @Test
    void a_fragmented_text_message_is_routed_as_one_message_even_when_a_character_straddles_fragments()
            throws Exception {
        JdkWebSocketClient bob = connect("bob");
        RawWebSocketClient sender = connectRaw("/");
        byte[] whole = "{\"userId\":\"bob\",\"message\":\"铁锤🔨\"}".getBytes(StandardCharsets.UTF_8);
        int insideHammer = whole.length - 4; // inside the 4-byte emoji, just before its end

        sender.sendRaw(concat(
                RawWebSocketClient.frame(false, RawWebSocketClient.TEXT, slice(whole, 0, 29)),
                RawWebSocketClient.frame(false, RawWebSocketClient.CONTINUATION, slice(whole, 29, insideHammer)),
                RawWebSocketClient.frame(true, RawWebSocketClient.CONTINUATION, slice(whole, insideHammer, whole.length))));

        assertThat(sender.readText()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("铁锤🔨");
    }

    @Test
    void the_senders_own_connection_is_included_when_it_is_registered_under_the_target() {
        JdkWebSocketClient bobPhone = connect("bob");
        JdkWebSocketClient bobLaptop = connect("bob");

        bobPhone.send("{\"userId\":\"bob\",\"message\":\"note to self\"}");

        assertThat(bobPhone.next(2)).containsExactlyInAnyOrder(
                "note to self", "{\"userId\":\"bob\",\"delivered\":2}");
        assertThat(bobLaptop.next()).isEqualTo("note to self");
    }

    @Test
    void a_send_to_an_unknown_or_offline_user_is_acknowledged_with_zero() {
        JdkWebSocketClient sender = connect("alice");

        sender.send("{\"userId\":\"nobody\",\"message\":\"hello?\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"nobody\",\"delivered\":0}");

        JdkWebSocketClient carol = connect("carol");
        carol.close();
        sender.send("{\"userId\":\"carol\",\"message\":\"are you there?\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"carol\",\"delivered\":0}");
    }

    @Test
    void user_ids_are_exact_strings_not_prefixes_or_case_insensitive() {
        JdkWebSocketClient bob = connect("bob");
        JdkWebSocketClient sender = connect(null);

        for (String other : List.of("Bob", "bo", "bob ", " bob", "bobby")) {
            sender.send("{\"userId\":\"" + other + "\",\"message\":\"x\"}");
            assertThat(sender.next()).isEqualTo("{\"userId\":\"" + other + "\",\"delivered\":0}");
        }
        sender.send("{\"userId\":\"bob\",\"message\":\"for bob\"}");
        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("for bob");
    }

    @Test
    void other_members_are_ignored_and_member_order_does_not_matter() {
        JdkWebSocketClient bob = connect("bob");
        JdkWebSocketClient sender = connect(null);

        sender.send("{\"extra\":{\"userId\":\"mallory\"},\"message\":\"m\",\"type\":1,\"userId\":\"bob\"}");

        assertThat(sender.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("m");
    }

    @Test
    void messages_from_one_sender_to_one_user_arrive_in_order_on_every_connection() throws Exception {
        restartWith(TestServers.bulkConfig()); // 2,000 messages at once is the point, not a flood
        int count = 2_000;
        JdkWebSocketClient phone = connect("bob");
        JdkWebSocketClient laptop = connect("bob");
        RawWebSocketClient sender = connectRaw("/?userId=alice");
        List<String> expected = IntStream.range(0, count).mapToObj(i -> "message " + i).toList();

        // All frames in one write: they reach the server back to back and are routed while the
        // deliveries of the earlier ones are still queued.
        sender.sendTexts(expected.stream()
                .map(m -> "{\"userId\":\"bob\",\"message\":\"" + m + "\"}").toList());

        for (int i = 0; i < count; i++) {
            assertThat(sender.readText()).as("ack %d", i).isEqualTo("{\"userId\":\"bob\",\"delivered\":2}");
        }
        assertThat(phone.next(count)).containsExactlyElementsOf(expected);
        assertThat(laptop.next(count)).containsExactlyElementsOf(expected);
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
