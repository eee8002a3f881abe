package dev.switchboard.security.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.switchboard.auth.TestTokens;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.JsonErrors;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Token mode over real handshakes: identities come from the {@code sub} of a signed JWT presented
 * as {@code Authorization: Bearer …} or {@code ?token=}; HS256 with {@code --jwt-secret}, RS256 or
 * ES256 with {@code --jwt-public-key FILE}. Without a valid token the upgrade is refused with 401
 * and a JSON body, and {@code ?userId=} is ignored, so a client cannot be someone else. (The
 * verification corpus — every way a token can be wrong — is in JwtAuthenticatorTest; here each
 * kind goes through a real handshake once.) Token expiry is in {@link TokenExpiryTest}.
 */
class TokenModeTest {
    private static final String API_KEY = "token-mode-test-api-key";

    private SwitchboardServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(TestServers.tokenConfig().toBuilder().apiKey(API_KEY).build());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        server.close();
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    static String hs256(String sub) {
        return TestTokens.hs256(TestTokens.claims(sub, Instant.now()).build());
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static URI root(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/");
    }

    /** Connects with the token in the Authorization header. */
    private JdkWebSocketClient connectWithHeader(SwitchboardServer target, String token) {
        return track(JdkWebSocketClient.connect(root(target.port()), bearer(token)));
    }

    /** Sends to itself (the token-mode default policy allows only that) and reads ack and message. */
    private static void assertCanTalkToItself(JdkWebSocketClient client, String userId) {
        client.send("{\"userId\":\"" + userId + "\",\"message\":\"note to self\"}");
        assertThat(client.next(2)).containsExactlyInAnyOrder(
                "{\"userId\":\"" + userId + "\",\"delivered\":1}", "note to self");
    }

    // --- refused handshakes ------------------------------------------------------------------

    @Test
    void a_handshake_without_a_token_is_refused_with_401_and_a_json_body() throws Exception {
        assertThatThrownBy(() -> RawWebSocketClient.connect(server.port(), "/?userId=alice"))
                .isInstanceOfSatisfying(RawWebSocketClient.HandshakeFailed.class, refused -> {
                    assertThat(refused.status()).isEqualTo(401);
                    assertThat(refused.headers().get("content-type")).startsWith("application/json");
                    JsonErrors.assertError(refused.body(), "unauthorized");
                });

        assertThat(server.node().connectionCount()).isZero();
        assertThat(server.node().localSessions("alice")).isEmpty();
    }

    @Test
    void a_real_client_without_a_token_sees_the_401() {
        var attempt = JdkWebSocketClient.connectAsync(JdkWebSocketClient.uri(server.port(), "alice"), Map.of());

        assertThatThrownBy(() -> attempt.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(failure -> assertThat(((WebSocketHandshakeException) failure.getCause())
                        .getResponse().statusCode()).isEqualTo(401));
        assertThat(server.node().connectionCount()).isZero();
    }

    static Stream<Arguments> invalidTokens() {
        Instant now = Instant.now();
        JWTClaimsSet valid = TestTokens.claims("alice", now).build();
        return Stream.of(
                arguments("not a JWT", "not-a-jwt"),
                arguments("empty Bearer value", " "),
                arguments("signed with another secret", TestTokens.sign(JWSAlgorithm.HS256, valid,
                        TestTokens.macSigner("another-secret-that-is-32-bytes-long!!".getBytes(StandardCharsets.UTF_8)))),
                arguments("a tampered payload", tamper(TestTokens.hs256(valid))),
                arguments("alg none", new PlainJWT(valid).serialize()),
                arguments("expired beyond the clock skew", TestTokens.hs256(new JWTClaimsSet.Builder()
                        .subject("alice").expirationTime(Date.from(now.minusSeconds(120))).build())),
                arguments("not yet valid", TestTokens.hs256(TestTokens.claims("alice", now)
                        .notBeforeTime(Date.from(now.plusSeconds(600))).build())),
                arguments("no exp", TestTokens.hs256(new JWTClaimsSet.Builder().subject("alice").build())),
                arguments("no sub", TestTokens.hs256(new JWTClaimsSet.Builder()
                        .expirationTime(Date.from(now.plusSeconds(600))).build())),
                arguments("RS256 where HS256 is configured", TestTokens.rs256(valid)));
    }

    /** Swaps the payload for one that names someone else, keeping the signature. */
    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"admin\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + forged + "." + parts[2];
    }

    @ParameterizedTest(name = "{0}, in the Authorization header")
    @MethodSource("invalidTokens")
    void an_invalid_token_in_the_header_is_refused_with_401(String what, String token) throws Exception {
        assertRefusedWith401("/?userId=alice", Map.of("Authorization", "Bearer " + token));
    }

    @ParameterizedTest(name = "{0}, in ?token=")
    @MethodSource("invalidTokens")
    void an_invalid_token_in_the_query_is_refused_with_401(String what, String token) throws Exception {
        assertRefusedWith401("/?userId=alice&token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8),
                Map.of());
    }

    @Test
    void a_token_under_another_scheme_than_bearer_is_not_a_token() throws Exception {
        assertRefusedWith401("/", Map.of("Authorization", "Basic " + hs256("alice")));
    }

    /** The handshake is refused with 401 and a JSON body, and no connection is added. */
    private void assertRefusedWith401(String target, Map<String, String> headers) throws Exception {
        int before = server.node().connectionCount();
        assertThatThrownBy(() -> RawWebSocketClient.connect(server.port(), target, headers))
                .isInstanceOfSatisfying(RawWebSocketClient.HandshakeFailed.class, refused -> {
                    assertThat(refused.status()).isEqualTo(401);
                    JsonErrors.assertError(refused.body(), "unauthorized");
                });
        assertThat(server.node().connectionCount()).isEqualTo(before);
    }

    // --- accepted handshakes -----------------------------------------------------------------

    @Test
    void a_valid_hs256_token_in_the_authorization_header_connects_as_its_sub() {
        JdkWebSocketClient alice = connectWithHeader(server, hs256("alice"));

        assertThat(server.node().localSessions("alice")).hasSize(1);
        assertCanTalkToItself(alice, "alice");
    }

    @Test
    void a_valid_hs256_token_in_the_query_connects_as_its_sub() {
        JdkWebSocketClient alice = track(JdkWebSocketClient.connect(
                URI.create("ws://127.0.0.1:" + server.port() + "/ws?token=" + hs256("alice"))));

        assertThat(server.node().localSessions("alice")).hasSize(1);
        assertCanTalkToItself(alice, "alice");
    }

    @Test
    void the_authorization_header_wins_over_the_query() {
        JdkWebSocketClient client = track(JdkWebSocketClient.connect(
                URI.create("ws://127.0.0.1:" + server.port() + "/?token=" + hs256("bob")), bearer(hs256("alice"))));

        assertThat(server.node().localSessions("alice")).hasSize(1);
        assertThat(server.node().localSessions("bob")).isEmpty();
        assertCanTalkToItself(client, "alice");
    }

    @Test
    void a_token_that_expired_moments_ago_is_refused_rather_than_accepted_and_closed() throws Exception {
        // exp is strict: accepting within the skew would only have the heartbeat close it with 4001
        // a second later, and a client reusing the token would loop.
        String token = TestTokens.hs256(new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(Date.from(Instant.now().minusSeconds(10))).build());

        assertRefusedWith401("/", Map.of("Authorization", "Bearer " + token));
        assertThat(server.node().localSessions("alice")).isEmpty();
    }

    @Test
    void an_rs256_token_connects_with_the_rsa_public_key_file(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("rsa.pem"), TestTokens.pem(TestTokens.RSA.getPublic()));
        try (SwitchboardServer rsa = TestServers.start(TestServers.config().toBuilder().jwtPublicKey(key).build())) {
            JdkWebSocketClient alice = connectWithHeader(rsa, TestTokens.rs256(TestTokens.claims("alice", Instant.now()).build()));

            assertThat(rsa.node().localSessions("alice")).hasSize(1);
            assertCanTalkToItself(alice, "alice");
            assertPublicKeyServerRefuses(rsa, key, TestTokens.es256(TestTokens.claims("mallory", Instant.now()).build()));
        }
    }

    @Test
    void an_es256_token_connects_with_the_ec_public_key_file(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("ec.pem"), TestTokens.pem(TestTokens.EC.getPublic()));
        try (SwitchboardServer ec = TestServers.start(TestServers.config().toBuilder().jwtPublicKey(key).build())) {
            JdkWebSocketClient alice = connectWithHeader(ec, TestTokens.es256(TestTokens.claims("alice", Instant.now()).build()));

            assertThat(ec.node().localSessions("alice")).hasSize(1);
            assertCanTalkToItself(alice, "alice");
            assertPublicKeyServerRefuses(ec, key, TestTokens.rs256(TestTokens.claims("mallory", Instant.now()).build()));
        }
    }

    /**
     * Refuses a token of the other asymmetric algorithm, and the classic algorithm confusion: an
     * HS256 token whose HMAC secret is the public key file itself.
     */
    private static void assertPublicKeyServerRefuses(SwitchboardServer target, Path publicKeyFile, String otherAlgorithm)
            throws Exception {
        String confused = TestTokens.sign(JWSAlgorithm.HS256, TestTokens.claims("mallory", Instant.now()).build(),
                TestTokens.macSigner(Files.readAllBytes(publicKeyFile)));
        for (String token : List.of(otherAlgorithm, confused, hs256("mallory"))) {
            assertThatThrownBy(() -> RawWebSocketClient.connect(target.port(), "/", bearer(token)))
                    .isInstanceOfSatisfying(RawWebSocketClient.HandshakeFailed.class, refused -> {
                        assertThat(refused.status()).isEqualTo(401);
                        JsonErrors.assertError(refused.body(), "unauthorized");
                    });
        }
        assertThat(target.node().localSessions("mallory")).isEmpty();
    }

    // --- ?userId= is ignored -----------------------------------------------------------------

    @Test
    void a_userid_in_the_query_cannot_make_a_token_someone_else() throws Exception {
        JdkWebSocketClient victimPhone = connectWithHeader(server, hs256("victim"));
        JdkWebSocketClient victimLaptop = connectWithHeader(server, hs256("victim"));
        JdkWebSocketClient mallory = track(JdkWebSocketClient.connect(
                JdkWebSocketClient.uri(server.port(), "victim"), bearer(hs256("mallory"))));

        // Registered as the token's sub, not as the userId it asked for.
        assertThat(server.node().localSessions("victim")).hasSize(2);
        assertThat(server.node().localSessions("mallory")).hasSize(1);

        // The victim's own traffic and the server API's reach the victim's two connections only.
        victimPhone.send("{\"userId\":\"victim\",\"message\":\"private\"}");
        assertThat(victimPhone.next(2)).containsExactlyInAnyOrder("{\"userId\":\"victim\",\"delivered\":2}", "private");
        assertThat(victimLaptop.next()).isEqualTo("private");
        var posted = Http.request(server.port(), "POST", "/api/users/victim/messages",
                Map.of("Authorization", "Bearer " + API_KEY), "{\"message\":\"from the backend\"}");
        assertThat(JsonObjects.parseFlat(posted.body())).containsEntry("delivered", 2L);
        assertThat(victimPhone.next()).isEqualTo("from the backend");
        assertThat(victimLaptop.next()).isEqualTo("from the backend");

        // Mallory cannot send as or to the victim either (token default: send to self only).
        mallory.send("{\"userId\":\"victim\",\"message\":\"gotcha\"}");
        JsonErrors.assertError(mallory.next(), "forbidden");

        // Mallory's next message is her own marker: nothing of the victim's came before it.
        assertCanTalkToItself(mallory, "mallory");
        assertThat(mallory.pending()).isEmpty();
        assertThat(victimPhone.pending()).isEmpty();
        assertThat(victimLaptop.pending()).isEmpty();
    }

    @Test
    void a_userid_in_the_query_without_a_token_is_refused() throws Exception {
        JdkWebSocketClient victim = connectWithHeader(server, hs256("victim"));

        assertRefusedWith401("/?userId=victim", Map.of());

        assertThat(server.node().localSessions("victim")).hasSize(1);
        assertCanTalkToItself(victim, "victim");
    }
}
