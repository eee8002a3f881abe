package dev.switchboard.security.it;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.SelfSignedTls;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --tls-cert} and {@code --tls-key}: the port speaks only TLS. A self-signed certificate
 * for 127.0.0.1 is generated for the run (BouncyCastle) and written as PEM (the key as PKCS#8); the
 * clients are the JDK's, trusting exactly that certificate. wss:// works end to end, so does
 * https:// for the HTTP endpoints, and a plain ws:// or http:// client fails against the TLS port
 * without disturbing it.
 */
class TlsTest {
    @TempDir
    static Path dir;
    private static SelfSignedTls tls;
    private static HttpClient trusting;
    private static SwitchboardServer server;

    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        tls = SelfSignedTls.generate(dir);
        trusting = tls.httpClient();
        server = TestServers.start(TestServers.config().toBuilder().tls(tls.certPath(), tls.keyPath()).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    private JdkWebSocketClient wss(String userId) {
        JdkWebSocketClient client = JdkWebSocketClient.connect(trusting,
                URI.create("wss://127.0.0.1:" + server.port() + "/?userId=" + userId), Map.of());
        clients.add(client);
        return client;
    }

    @Test
    void wss_clients_send_and_receive() {
        JdkWebSocketClient bob = wss("bob");
        JdkWebSocketClient alice = wss("alice");

        alice.send("{\"userId\":\"bob\",\"message\":\"over TLS 铁锤\"}");

        assertThat(alice.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("over TLS 铁锤");
        bob.send("{\"userId\":\"alice\",\"message\":\"" + "x".repeat(60_000) + "\"}");
        assertThat(bob.next()).isEqualTo("{\"userId\":\"alice\",\"delivered\":1}");
        assertThat(alice.next()).hasSize(60_000);
    }

    @Test
    void https_health_works() throws Exception {
        wss("bob");

        HttpResponse<String> health = Http.request(trusting, URI.create("https://127.0.0.1:" + server.port() + "/health"),
                "GET", Map.of(), null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JsonObjects.parseFlat(health.body())).containsEntry("status", "up").containsEntry("connections", 1L);
    }

    @Test
    void a_plain_ws_client_fails_against_the_tls_port() {
        var attempt = JdkWebSocketClient.connectAsync(JdkWebSocketClient.uri(server.port(), "mallory"), Map.of());

        assertThatThrownBy(() -> attempt.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(server.node().localSessions("mallory")).isEmpty();
        // The port still serves TLS clients.
        JdkWebSocketClient bob = wss("bob");
        bob.send("{\"userId\":\"bob\",\"message\":\"fine\"}");
        assertThat(bob.next(2)).containsExactlyInAnyOrder("{\"userId\":\"bob\",\"delivered\":1}", "fine");
    }

    @Test
    void a_plain_http_request_fails_against_the_tls_port() {
        assertThatThrownBy(() -> Http.get(server.port(), "/health")).isInstanceOf(IOException.class);
    }

    @Test
    void a_client_that_does_not_trust_the_certificate_cannot_connect() {
        var attempt = JdkWebSocketClient.connectAsync(HttpClient.newHttpClient(),
                URI.create("wss://127.0.0.1:" + server.port() + "/?userId=mallory"), Map.of());

        assertThatThrownBy(() -> attempt.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(failure -> assertThat(causes(failure)).hasAtLeastOneElementOfType(SSLHandshakeException.class));
        assertThat(server.node().localSessions("mallory")).isEmpty();
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
