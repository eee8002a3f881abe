package dev.switchboard.cluster.it;

import dev.switchboard.server.ServerConfig;
import dev.switchboard.transport.TransportOptions;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.ClosingRace;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.TestCluster;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes on one real Redis, each a whole server with its own registry, as a load balancer
 * would spread clients: a send on any node reaches the addressee's connections on every node with
 * an exact count, and presence, receipts, recovery and the server API work across nodes. Subclasses
 * run the same on client-side shards and on a Redis Cluster ({@link #startCluster}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterDeliveryTest {
    private static final String API_KEY = "cluster-test-api-key";
    private TestCluster cluster;
    private SwitchboardServer a;
    private SwitchboardServer b;
    private SwitchboardServer c;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private String run;

    /** The three nodes, with {@link #config()}; a subclass starts them on another Redis. */
    protected TestCluster startCluster() throws Exception {
        return TestCluster.start(3, config());
    }

    /** What every node of these tests runs with, but {@code --redis}. */
    static ServerConfig config() {
        return TestServers.bulkConfig().toBuilder().apiKey(API_KEY).clusterAckTimeout(Duration.ofSeconds(2)).build();
    }

    @BeforeAll
    void start() throws Exception {
        cluster = startCluster();
        a = cluster.node(0);
        b = cluster.node(1);
        c = cluster.node(2);
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    @BeforeEach
    void newRun() {
        run = UUID.randomUUID().toString().substring(0, 6); // users unique to each test
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        clients.clear();
    }

    private String user(String name) {
        return name + "-" + run;
    }

    private JdkWebSocketClient plain(SwitchboardServer node, String userId) {
        JdkWebSocketClient client = JdkWebSocketClient.connect(node.port(), userId);
        clients.add(client);
        return client;
    }

    private V1Client v1(SwitchboardServer node, String userId) {
        V1Client client = V1Client.connect(node.port(), userId);
        clients.add(client);
        return client;
    }

    private static HttpResponse<String> api(SwitchboardServer node, String method, String path, String body)
            throws Exception {
        return Http.request(node.port(), method, path, Map.of("Authorization", "Bearer " + API_KEY), body);
    }

    @Test
    void aSendOnOneNodeReachesEveryConnectionOnTheOthersWithTheExactCount() {
        String bob = user("bob");
        JdkWebSocketClient onB = plain(b, bob);
        JdkWebSocketClient onC1 = plain(c, bob);
        JdkWebSocketClient onC2 = plain(c, bob);
        JdkWebSocketClient alice = plain(a, user("alice"));

        alice.send("{\"userId\":\"" + bob + "\",\"message\":\"hello from A\"}");

        assertThat(alice.next()).isEqualTo("{\"userId\":\"" + bob + "\",\"delivered\":3}");
        assertThat(onB.next()).isEqualTo("hello from A");
        assertThat(onC1.next()).isEqualTo("hello from A");
        assertThat(onC2.next()).isEqualTo("hello from A");
    }

    @Test
    void aConnectionIsReachableFromEveryNodeAsSoonAsItsHandshakeCompletes() {
        JdkWebSocketClient alice = plain(a, user("alice"));
        for (int i = 0; i < 30; i++) {
            String fresh = user("fresh" + i);
            JdkWebSocketClient onB = plain(b, fresh);

            alice.send("{\"userId\":\"" + fresh + "\",\"message\":\"right away\"}");

            assertThat(alice.next()).as("the node subscribed before it answered 101")
                    .isEqualTo("{\"userId\":\"" + fresh + "\",\"delivered\":1}");
            assertThat(onB.next()).isEqualTo("right away");
        }
    }

    @Test
    void aUserWithNoConnectionAnywhereCountsZero() {
        JdkWebSocketClient alice = plain(a, user("alice"));
        alice.send("{\"userId\":\"" + user("ghost") + "\",\"message\":\"anyone?\"}");
        assertThat(alice.next()).isEqualTo("{\"userId\":\"" + user("ghost") + "\",\"delivered\":0}");
    }

    @Test
    void theSendersOwnNodeCountsItsConnectionsToo() {
        String bob = user("bob");
        JdkWebSocketClient onA = plain(a, bob);
        JdkWebSocketClient onB = plain(b, bob);
        JdkWebSocketClient alice = plain(a, user("alice"));

        for (int i = 0; i < 50; i++) {
            alice.send("{\"userId\":\"" + bob + "\",\"message\":" + i + "}");
        }

        for (int i = 0; i < 50; i++) {
            assertThat(alice.next()).isEqualTo("{\"userId\":\"" + bob + "\",\"delivered\":2}");
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(onA.next(50)).as("in order on the sender's node").isEqualTo(expected);
        assertThat(onB.next(50)).as("in order on another node").isEqualTo(expected);
    }

    @Test
    void theApiOnAnyNodeActsOnTheWholeCluster() throws Exception {
        String bob = user("bob");
        JdkWebSocketClient onB = plain(b, bob);
        JdkWebSocketClient onC = plain(c, bob);

        HttpResponse<String> presence = api(a, "GET", "/api/users/" + bob, null);
        HttpResponse<String> sent = api(a, "POST", "/api/users/" + bob + "/messages", "{\"message\":\"from the API\"}");

        assertThat(presence.body()).isEqualTo("{\"userId\":\"" + bob + "\",\"online\":true,\"connections\":2}");
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.body()).startsWith("{\"userId\":\"" + bob + "\",\"delivered\":2,\"seq\":1");
        assertThat(onB.next()).isEqualTo("from the API");
        assertThat(onC.next()).isEqualTo("from the API");

        HttpResponse<String> closed = api(a, "DELETE", "/api/users/" + bob + "/connections", null);

        assertThat(closed.body()).isEqualTo("{\"userId\":\"" + bob + "\",\"closed\":2}");
        assertThat(onB.awaitClose().code()).isEqualTo(4003);
        assertThat(onC.awaitClose().code()).isEqualTo(4003);
        await().atMost(Duration.ofSeconds(5)).until(() -> api(c, "GET", "/api/users/" + bob, null).body()
                .equals("{\"userId\":\"" + bob + "\",\"online\":false,\"connections\":0}"));
    }

    @Test
    void aConnectionIsCountedOnEveryNodeOnceItsHandshakeIsAnswered() throws Exception {
        for (int round = 0; round < 50; round++) {
            String bob = user("bob" + round);
            JdkWebSocketClient onB = plain(b, bob);
            JdkWebSocketClient onC = plain(c, bob);

            CompletableFuture<HttpResponse<String>> presence = async(() -> api(a, "GET", "/api/users/" + bob, null));
            CompletableFuture<HttpResponse<String>> sent = async(() ->
                    api(a, "POST", "/api/users/" + bob + "/messages", "{\"message\":\"round " + bob + "\"}"));

            assertThat(presence.get(5, TimeUnit.SECONDS).body()).as("round %d", round)
                    .isEqualTo("{\"userId\":\"" + bob + "\",\"online\":true,\"connections\":2}");
            assertThat(sent.get(5, TimeUnit.SECONDS).body()).as("round %d", round)
                    .startsWith("{\"userId\":\"" + bob + "\",\"delivered\":2,");
            assertThat(onB.next()).isEqualTo("round " + bob);
            assertThat(onC.next()).isEqualTo("round " + bob);
            onB.close();
            onC.close();
        }
    }

    @Test
    void everyCountEqualsTheConnectionsThatReceivedTheMessageWhileTheyClose() throws Exception {
        String bob = user("bob");
        ClosingRace.run(a.port(), List.of(b.port(), c.port()), bob, () -> {
            try {
                api(a, "DELETE", "/api/users/" + bob + "/connections", null);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, TransportOptions.DEFAULT_MAX_MESSAGE_BYTES);
    }

    private static <T> CompletableFuture<T> async(Callable<T> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    @Test
    void presenceEventsReachTheUsersConnectionsOnOtherNodes() {
        String bob = user("bob");
        V1Client onB = v1(b, bob);

        V1Client onC = v1(c, bob);
        V1Frame joined = onB.next("presence");
        onC.close();
        V1Frame left = onB.next("presence");

        assertThat(joined.number("connections")).isEqualTo(2);
        assertThat(joined.bool("online")).isTrue();
        assertThat(left.number("connections")).isEqualTo(1);
    }

    @Test
    void aReceiptFindsTheSenderOnAnotherNode() {
        String bob = user("bob");
        V1Client recipient = v1(c, bob);
        V1Client sender = v1(a, user("alice"));

        sender.sendWithReceipt("r1", bob, "\"please confirm\"");
        V1Frame message = recipient.next("message");
        assertThat(sender.next("ack").number("delivered")).isEqualTo(1);
        recipient.received(message.number("seq"));

        V1Frame receipt = sender.next("receipt");
        assertThat(receipt.text("id")).isEqualTo("r1");
        assertThat(receipt.number("seq")).isEqualTo(message.number("seq"));
        assertThat(receipt.text("connectionId")).isEqualTo(recipient.connectionId());
    }

    @Test
    void aClientRecoversOnAnotherNodeWhatItMissed() throws Exception {
        String bob = user("bob");
        V1Client first = v1(a, bob);
        api(b, "POST", "/api/users/" + bob + "/messages", "{\"message\":\"one\"}");
        long seen = first.next("message").number("seq");
        String epoch = first.epoch();
        first.abort();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(api(a, "GET", "/api/users/" + bob, null)
                .body()).contains("\"connections\":0"));

        api(b, "POST", "/api/users/" + bob + "/messages", "{\"message\":\"two\"}");
        api(c, "POST", "/api/users/" + bob + "/messages", "{\"message\":\"three\"}");
        V1Client resumed = V1Client.resume(b.port(), bob, seen, epoch);
        clients.add(resumed);

        assertThat(resumed.welcome().bool("recovered")).isTrue();
        assertThat(resumed.welcome().number("missed")).isEqualTo(2);
        List<V1Frame> missed = resumed.next("message", 2);
        assertThat(missed).extracting(f -> f.raw("message")).containsExactly("\"two\"", "\"three\"");
        assertThat(missed).extracting(f -> f.number("seq")).containsExactly(seen + 1, seen + 2);
    }

    @Test
    void everyNodeReportsItselfReady() throws Exception {
        for (SwitchboardServer node : cluster.nodes()) {
            HttpResponse<String> health = Http.get(node.port(), "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"broker\":\"ready\"");
        }
    }

}
