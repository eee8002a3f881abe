package dev.switchboard.client;

import dev.switchboard.client.testing.Recorder;
import dev.switchboard.client.testing.Servers;
import dev.switchboard.client.testing.Tokens;
import dev.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Token mode (HS256): the identity comes from the token, sent as {@code Authorization: Bearer}.
 * Tokens are signed here with nimbus-jose-jwt, as an application's backend would. The server closes
 * a connection with 4001 when its token's {@code exp} passes (checked about once a second).
 */
class TokenModeTest {
    private static SwitchboardServer server;
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = Servers.start(config -> config.jwtSecret(Tokens.SECRET));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SwitchboardClient::close);
    }

    private SwitchboardClient build(SwitchboardClient.Builder builder, Recorder recorder) {
        SwitchboardClient client = recorder.attach(builder.options(Servers.fastOptions())).build();
        clients.add(client);
        return client;
    }

    @Test
    void aClientWithATokenIsTheTokensUser() throws Exception {
        Recorder bobs = new Recorder();
        SwitchboardClient bob = build(SwitchboardClient.builder(Servers.uri(server))
                .token(Tokens.hs256("token-bob", Duration.ofHours(1))), bobs);
        bob.connect().get(5, TimeUnit.SECONDS);

        // The token-mode default policy is "self": bob may message his own devices, not others.
        assertThat(bob.send("token-bob", "to my other devices").get(5, TimeUnit.SECONDS).delivered()).isEqualTo(1);
        await().until(() -> bobs.messageCount() == 1);
        assertThat(bobs.messages().get(0).from()).isEqualTo("token-bob");
        assertThatThrownBy(() -> bob.send("token-alice", "hi").get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(RequestFailedException.class,
                        e -> assertThat(e.code()).isEqualTo("forbidden"));
    }

    @Test
    void aTokenFromAProviderIsRefreshedInPlaceBeforeItExpiresWithoutReconnecting() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        // Every token lives three to four seconds (exp is in whole seconds): the client refreshes each
        // about a second before it expires, and the connection outlives all of them.
        TokenProvider provider = () -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(Tokens.hs256("renewing", Duration.ofSeconds(4)));
        };
        Recorder recorder = new Recorder();
        SwitchboardClient client = build(SwitchboardClient.builder(Servers.uri(server)).tokenProvider(provider),
                recorder);
        client.connect().get(5, TimeUnit.SECONDS);
        client.send("renewing", "before expiry").get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(15)).until(() -> asked.get() >= 4); // three refreshes: 7+ s
        client.send("renewing", "after three refreshes").get(5, TimeUnit.SECONDS);
        assertThat(recorder.count(ConnectionState.OPEN)).as("one connection all along: no 4001").isEqualTo(1);
        await().until(() -> recorder.messageCount() == 2);
        assertThat(recorder.messages()).extracting(Message::seq).containsExactly(1L, 2L);
    }

    @Test
    void aRefreshTheServerRefusesMakesTheClientReconnectWithATokenOfItsOwn() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        // The second token names another user: the refresh is refused, and the client reconnects.
        TokenProvider provider = () -> {
            int n = asked.incrementAndGet();
            return CompletableFuture.completedFuture(n == 2 ? Tokens.hs256("someone-else", Duration.ofHours(1))
                    : Tokens.hs256("renewing-2", n == 1 ? Duration.ofSeconds(3) : Duration.ofHours(1)));
        };
        Recorder recorder = new Recorder();
        SwitchboardClient client = build(SwitchboardClient.builder(Servers.uri(server)).tokenProvider(provider),
                recorder);
        client.connect().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count(ConnectionState.OPEN) == 2);
        assertThat(asked.get()).isEqualTo(3);
        assertThat(recorder.states()).anySatisfy(change -> {
            assertThat(change.state()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(change.reason()).contains("token refresh failed").contains("another user");
        });
        assertThat(client.send("renewing-2", "still me").get(5, TimeUnit.SECONDS).delivered()).isEqualTo(1);
    }

    @Test
    void aFixedTokenThatExpiresClosesTheClientWith4001() throws Exception {
        Recorder recorder = new Recorder();
        SwitchboardClient client = build(SwitchboardClient.builder(Servers.uri(server))
                .token(Tokens.hs256("short-lived", Duration.ofSeconds(2))), recorder); // 1 to 2 s: exp is in whole seconds
        client.connect().get(5, TimeUnit.SECONDS);

        StateChange last = recorder.awaitClosed(Duration.ofSeconds(10));
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(last.closeCode()).isEqualTo(4001);
        assertThat(last.error()).hasMessageContaining("no TokenProvider");
        assertThat(recorder.count(ConnectionState.CONNECTING)).isEqualTo(1);
    }

    @Test
    void aRefusedTokenFailsConnectAndIsNotRetried() throws Exception {
        Recorder recorder = new Recorder();
        SwitchboardClient client = build(SwitchboardClient.builder(Servers.uri(server))
                .token(Tokens.hs256("forger", Duration.ofHours(1), "not-the-secret-but-just-as-long-as-it")), recorder);

        assertThatThrownBy(() -> client.connect().get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ClientClosedException.class)
                .cause().isInstanceOfSatisfying(HandshakeRejectedException.class,
                        e -> assertThat(e.status()).isEqualTo(401));
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        recorder.awaitClosed(Duration.ofSeconds(10));
        assertThat(recorder.count(ConnectionState.CONNECTING)).isEqualTo(1);
    }
}
