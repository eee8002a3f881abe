package dev.switchboard.security.it;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.auth.TestTokens;
import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.ManualScheduler;
import dev.switchboard.testing.TestServers;
import dev.switchboard.testing.V1Client;
import dev.switchboard.testing.V1Frame;
import dev.switchboard.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token refresh in place (v1 {@code refresh}): a fresh token for the same user moves the
 * connection's expiry, answered by {@code refreshed} with the new {@code expiresAt}; a token for
 * another user, an expired, invalid or missing one is refused with an {@code error}, and the
 * connection keeps its identity and expiry. Time is a {@link ManualClock}, so expiry is exact.
 */
class TokenRefreshTest {
    @RegisterExtension
    final LiveServer server = new LiveServer();
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler();

    private Instant now() {
        return Instant.ofEpochMilli(clock.currentTimeMillis());
    }

    private static String token(String sub, Instant exp) {
        return TestTokens.hs256(new JWTClaimsSet.Builder().subject(sub).expirationTime(Date.from(exp)).build());
    }

    private V1Client connect(String sub, Instant exp) {
        return server.track(V1Client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                Map.of("Authorization", "Bearer " + token(sub, exp))));
    }

    private static V1Frame refresh(V1Client client, String id, String token) {
        client.sendText("{\"type\":\"refresh\",\"id\":\"" + id + "\",\"token\":\"" + token + "\"}");
        V1Frame answer = client.next();
        assertThat(answer.text("id")).isEqualTo(id);
        return answer;
    }

    private void advanceAndTick(Duration amount) {
        clock.advance(amount);
        scheduler.runAll();
    }

    @Test
    void a_fresh_token_moves_the_expiry_and_the_connection_lives_on() throws Exception {
        server.restartWith(TestServers.tokenConfig(), clock, scheduler);
        V1Client alice = connect("alice", now().plusSeconds(20));
        Instant later = now().plusSeconds(3600);

        V1Frame refreshed = refresh(alice, "r1", token("alice", later));

        assertThat(refreshed.type()).isEqualTo("refreshed");
        assertThat(refreshed.names()).containsExactly("type", "id", "expiresAt");
        assertThat(refreshed.number("expiresAt")).isEqualTo(later.toEpochMilli() / 1000 * 1000);
        advanceAndTick(Duration.ofSeconds(21)); // past the first token's expiry
        alice.ping("p1");
        assertThat(alice.next("pong").text("id")).isEqualTo("p1");
        assertThat(alice.socket().isClosed()).isFalse();

        advanceAndTick(Duration.ofSeconds(3600)); // past the second's
        assertThat(alice.socket().awaitClose()).isEqualTo(new CloseStatus(4001, "token expired"));
    }

    @Test
    void another_users_an_expired_an_invalid_or_no_token_is_refused_and_the_old_expiry_stands() throws Exception {
        server.restartWith(TestServers.tokenConfig(), clock, scheduler);
        V1Client alice = connect("alice", now().plusSeconds(20));

        List<V1Frame> refusals = List.of(
                refresh(alice, "other", token("mallory", now().plusSeconds(3600))),
                refresh(alice, "expired", token("alice", now().minusSeconds(1))),
                refresh(alice, "invalid", "not.a.jwt"));
        for (V1Frame refused : refusals) {
            assertThat(refused.type()).isEqualTo("error");
            assertThat(refused.text("code")).as(refused.text("id")).isEqualTo("unauthorized");
        }
        assertThat(refusals.get(0).text("error")).contains("another user");
        assertThat(refusals.get(1).text("error")).contains("expired");
        alice.sendText("{\"type\":\"refresh\",\"id\":\"none\"}");
        V1Frame missing = alice.next();
        assertThat(missing.text("code")).isEqualTo("invalid_message");

        advanceAndTick(Duration.ofSeconds(20));
        assertThat(alice.socket().awaitClose()).as("the first token's expiry stands")
                .isEqualTo(new CloseStatus(4001, "token expired"));
    }

    @Test
    void in_dev_mode_there_is_no_token_to_refresh() throws Exception {
        server.restartWith(TestServers.config(), clock, scheduler);
        V1Client bob = server.v1("bob");
        V1Frame refused = refresh(bob, "r1", token("bob", now().plusSeconds(60)));
        assertThat(refused.text("code")).isEqualTo("unauthorized");
        assertThat(refused.text("error")).contains("dev mode");
    }
}
