package dev.switchboard.client;

import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.Servers;
import dev.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Sending and receiving against a real server: acks, messages, JSON bodies, refusals, plain-mode senders. */
class MessagingTest {
    private static SwitchboardServer server;
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private String bob;
    private String alice;

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = Servers.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SwitchboardClient::close);
    }

    /** Users unique to the test: the server outlives the tests and streams keep their seqs. */
    @org.junit.jupiter.api.BeforeEach
    void names(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        bob = "bob-" + name;
        alice = "alice-" + name;
    }

    private SwitchboardClient connect(String userId, Recorder recorder) throws Exception {
        SwitchboardClient.Builder builder = SwitchboardClient.builder(Servers.uri(server)).options(Servers.fastOptions());
        if (userId != null) {
            builder.userId(userId);
        }
        SwitchboardClient client = recorder.attach(builder).build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void aTextMessageIsAckedAndDeliveredWithItsSeq() throws Exception {
        Recorder bobs = new Recorder();
        connect(bob, bobs);
        SwitchboardClient sender = connect(alice, new Recorder());
        Instant before = Instant.now().minusSeconds(1);

        Ack ack = sender.send(bob, "hello, \"bob\" ✓").get(5, TimeUnit.SECONDS);

        assertThat(ack).isEqualTo(new Ack(bob, 1, 1));
        await().until(() -> bobs.messageCount() == 1);
        Message message = bobs.messages().get(0);
        assertThat(message.seq()).isEqualTo(1);
        assertThat(message.from()).isEqualTo(alice);
        assertThat(message.isText()).isTrue();
        assertThat(message.text()).isEqualTo("hello, \"bob\" ✓");
        assertThat(message.json()).isEqualTo("\"hello, \\\"bob\\\" ✓\"");
        assertThat(message.receiptRequested()).isFalse();
        assertThat(message.timestamp()).isBetween(before, Instant.now().plusSeconds(1));
    }

    @Test
    void listenersRunOnOneThreadOfTheClientInOrder() throws Exception {
        Recorder bobs = new Recorder();
        connect(bob, bobs);
        SwitchboardClient sender = connect(alice, new Recorder());
        for (int i = 0; i < 50; i++) {
            sender.send(bob, "m" + i);
        }
        await().until(() -> bobs.messageCount() == 50);

        assertThat(bobs.messages()).extracting(Message::text)
                .containsExactlyElementsOf(LongStream.range(0, 50).mapToObj(i -> "m" + i).toList());
        assertThat(bobs.listenerThreads()).hasSizeGreaterThan(50).allSatisfy(name ->
                assertThat(name).isEqualTo(bobs.listenerThreads().get(0)).endsWith("-events"));
        assertThat(bobs.states()).extracting(StateChange::state)
                .containsExactly(ConnectionState.CONNECTING, ConnectionState.OPEN);
    }

    @Test
    void jsonValuesArriveExactlyAsSentNumbersKeepingTheirDigits() throws Exception {
        Recorder bobs = new Recorder();
        connect(bob, bobs);
        SwitchboardClient sender = connect(alice, new Recorder());

        sender.sendJson(bob, "{ \"n\": 0.1000000000000000055511151231257827, \"big\": 1e400, \"a\": [1, null, true] }")
                .get(5, TimeUnit.SECONDS);
        sender.sendJson(bob, "42").get(5, TimeUnit.SECONDS);

        await().until(() -> bobs.messageCount() == 2);
        Message object = bobs.messages().get(0);
        assertThat(object.isText()).isFalse();
        assertThat(object.json()).isEqualTo("{\"n\":0.1000000000000000055511151231257827,\"big\":1e400,\"a\":[1,null,true]}");
        assertThat(object.text()).isEqualTo(object.json());
        assertThat(bobs.messages().get(1).json()).isEqualTo("42");
    }

    @Test
    void somethingThatIsNotOneJsonValueIsRefusedBeforeItIsSent() throws Exception {
        SwitchboardClient sender = connect(alice, new Recorder());

        assertThatThrownBy(() -> sender.sendJson(bob, "{\"a\":")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sender.sendJson(bob, "1 2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sender.sendJson(bob, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sender.send("", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefusedSendFailsWithTheServersCodeAndTheConnectionStaysUsable() throws Exception {
        Recorder bobs = new Recorder();
        connect(bob, bobs);
        SwitchboardClient sender = connect(alice, new Recorder());

        assertThatThrownBy(() -> sender.send("x".repeat(300), "hi").get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(RequestFailedException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_user_id"));
        assertThat(sender.send(bob, "still here").get(5, TimeUnit.SECONDS).seq()).isEqualTo(1);
        assertThat(sender.state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void aPlainModeSenderReachesTheJavaClientWithSeqs() throws Exception {
        Recorder bobs = new Recorder();
        connect(bob, bobs);
        WebSocket plain = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(Servers.uri(server) + "?userId=carol"), new WebSocket.Listener() { })
                .get(5, TimeUnit.SECONDS);
        try {
            for (int i = 0; i < 100; i++) {
                plain.sendText("{\"userId\":\"" + bob + "\",\"message\":\"p" + i + "\"}", true).get(5, TimeUnit.SECONDS);
            }
            await().until(() -> bobs.messageCount() == 100);
        } finally {
            plain.abort();
        }

        assertThat(bobs.messages()).extracting(Message::seq).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(bobs.messages()).extracting(Message::text).containsExactlyElementsOf(
                LongStream.range(0, 100).mapToObj(i -> "p" + i).toList());
        assertThat(bobs.messages()).extracting(Message::from).containsOnly("carol");
    }

    @Test
    void aSendOnlyClientSendsAndItsMessagesComeFromNobody() throws Exception {
        Recorder bobs = new Recorder();
        connect(bob, bobs);
        SwitchboardClient anonymous = connect(null, new Recorder());

        assertThat(anonymous.send(bob, "from nowhere").get(5, TimeUnit.SECONDS).delivered()).isEqualTo(1);
        await().until(() -> bobs.messageCount() == 1);
        assertThat(bobs.messages().get(0).from()).isNull();
    }

    @Test
    void aLargeMessageThatArrivesInPartsIsDeliveredWhole() throws Exception {
        Recorder bobs = new Recorder();
        connect(bob, bobs);
        SwitchboardClient sender = connect(alice, new Recorder());
        String large = "a€😀".repeat(7_000); // 56,000 UTF-8 bytes: under the server's 64 KiB, over the JDK's buffers

        sender.send(bob, large).get(5, TimeUnit.SECONDS);

        await().until(() -> bobs.messageCount() == 1);
        assertThat(bobs.messages().get(0).text()).isEqualTo(large);
    }

    @Test
    void requestsNeedConnectFirstAndFailOnceClosed() throws Exception {
        SwitchboardClient idle = SwitchboardClient.builder(Servers.uri(server)).userId(alice).build();
        clients.add(idle);
        assertThatThrownBy(() -> idle.send(bob, "x")).isInstanceOf(IllegalStateException.class);

        SwitchboardClient client = connect(alice, new Recorder());
        client.close();
        assertThatThrownBy(() -> client.send(bob, "x").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(ClientClosedException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ConnectionState.CLOSED);
    }
}
