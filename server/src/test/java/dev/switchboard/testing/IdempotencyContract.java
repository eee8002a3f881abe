package dev.switchboard.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent publish, as a client sees it, on whatever runs behind two ports: one node (both ports
 * the same) or two nodes of a cluster (a retry through the other node). A repeat of a key by the
 * same sender is answered with the first ack plus {@code "duplicate":true} and not delivered again;
 * the same key for another user or message is refused; other senders' keys are their own.
 */
public abstract class IdempotencyContract {
    private final List<AutoCloseable> clients = new ArrayList<>();
    /** Unique names per test: a cluster's Redis outlives a test. */
    protected final String run = UUID.randomUUID().toString().substring(0, 8);

    /** Where first sends go. */
    protected abstract int port();

    /** Where retries go: another node of the cluster, or the same node. */
    protected abstract int otherPort();

    protected abstract String apiKey();

    /**
     * Whether a key is the sender's across addressees (one node, one Redis: the same key for another
     * user is refused), or the addressee's (client-side shards, Redis Cluster: the key lives in the
     * addressee's slot, so the same key for another user is another send).
     */
    protected boolean keysAreGlobal() {
        return true;
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
    }

    private V1Client v1(int port, String userId) {
        V1Client client = V1Client.connect(port, userId == null ? null : userId + run);
        clients.add(client);
        return client;
    }

    private static String send(String id, String to, String message, String key) {
        return "{\"type\":\"send\",\"id\":\"" + id + "\",\"to\":\"" + to + "\",\"message\":\"" + message
                + "\",\"idempotencyKey\":\"" + key + "\"}";
    }

    private V1Frame sendAndAck(V1Client sender, String id, String to, String message, String key) {
        sender.sendText(send(id, to + run, message, key));
        V1Frame answer = sender.next();
        while (answer.type().equals("presence")) {
            // The sender's own earlier connection closing, seen by this one: not the answer.
            answer = sender.next();
        }
        assertThat(answer.text("id")).isEqualTo(id);
        return answer;
    }

    @Test
    void aRepeatedKeyIsAnsweredWithTheFirstAckAndDeliveredOnce() {
        V1Client bob = v1(port(), "bob");
        V1Client alice = v1(port(), "alice");

        V1Frame first = sendAndAck(alice, "r1", "bob", "hello", "k-1");
        V1Frame again = sendAndAck(alice, "r2", "bob", "hello", "k-1");

        assertThat(first.type()).isEqualTo("ack");
        assertThat(first.has("duplicate")).isFalse();
        assertThat(again.type()).isEqualTo("ack");
        assertThat(again.bool("duplicate")).isTrue();
        assertThat(again.number("seq")).isEqualTo(first.number("seq"));
        assertThat(again.number("delivered")).isEqualTo(first.number("delivered")).isEqualTo(1);
        assertThat(bob.next("message").text("message")).isEqualTo("hello");
        bob.assertNothingMore();
    }

    @Test
    void aRetryFromANewConnectionOfTheSameSenderIsCaught() {
        V1Client bob = v1(port(), "bob");
        V1Client alice = v1(port(), "alice");
        V1Frame first = sendAndAck(alice, "r1", "bob", "spoken", "k-2");
        alice.abort();

        V1Client aliceAgain = v1(otherPort(), "alice");
        V1Frame retry = sendAndAck(aliceAgain, "r1", "bob", "spoken", "k-2");

        assertThat(retry.bool("duplicate")).isTrue();
        assertThat(retry.number("seq")).isEqualTo(first.number("seq"));
        assertThat(bob.next("message").number("seq")).isEqualTo(first.number("seq"));
        bob.assertNothingMore();
    }

    @Test
    void twoSendersWithTheSameKeyAreIndependent() {
        V1Client bob = v1(port(), "bob");
        V1Frame fromAlice = sendAndAck(v1(port(), "alice"), "r1", "bob", "one", "same-key");
        V1Frame fromCarol = sendAndAck(v1(otherPort(), "carol"), "r1", "bob", "one", "same-key");

        assertThat(fromCarol.has("duplicate")).isFalse();
        assertThat(fromCarol.number("seq")).isEqualTo(fromAlice.number("seq") + 1);
        assertThat(bob.next("message", 2)).hasSize(2);
    }

    @Test
    void sendOnlyConnectionsEachHaveTheirOwnKeys() {
        V1Client bob = v1(port(), "bob");
        V1Client anonymous = v1(port(), null);
        V1Client another = v1(port(), null);

        V1Frame first = sendAndAck(anonymous, "r1", "bob", "x", "k-3");
        assertThat(sendAndAck(anonymous, "r2", "bob", "x", "k-3").bool("duplicate")).isTrue();
        V1Frame other = sendAndAck(another, "r1", "bob", "x", "k-3");

        assertThat(other.has("duplicate")).isFalse();
        assertThat(other.number("seq")).isEqualTo(first.number("seq") + 1);
        assertThat(bob.next("message", 2)).hasSize(2);
        bob.assertNothingMore();
    }

    @Test
    void theSameKeyForAnotherMessageOrUserIsRefused() {
        V1Client bob = v1(port(), "bob");
        V1Client alice = v1(port(), "alice");
        sendAndAck(alice, "r1", "bob", "first", "k-4");

        V1Frame otherMessage = sendAndAck(alice, "r2", "bob", "second", "k-4");
        V1Frame otherUser = sendAndAck(v1(otherPort(), "alice"), "r3", "carol", "first", "k-4");

        for (V1Frame refused : keysAreGlobal() ? List.of(otherMessage, otherUser) : List.of(otherMessage)) {
            assertThat(refused.type()).isEqualTo("error");
            assertThat(refused.text("code")).isEqualTo("idempotency_key_reused");
        }
        if (!keysAreGlobal()) {
            assertThat(otherUser.type()).as("carol's slot has no such key: another send").isEqualTo("ack");
            assertThat(otherUser.has("duplicate")).isFalse();
        }
        assertThat(bob.next("message").text("message")).isEqualTo("first");
        bob.assertNothingMore();
    }

    @Test
    void aKeyLongerThan128CharactersIsRefused() {
        V1Client alice = v1(port(), "alice");
        V1Frame refused = sendAndAck(alice, "r1", "bob", "x", "k".repeat(129));
        assertThat(refused.type()).isEqualTo("error");
        assertThat(refused.text("code")).isEqualTo("invalid_message");
        assertThat(sendAndAck(alice, "r2", "bob", "x", "k".repeat(128)).type()).isEqualTo("ack");
    }

    @Test
    void theServerApiTakesAnIdempotencyKeyHeader() throws Exception {
        V1Client bob = v1(port(), "bob");
        String path = "/api/users/bob" + run + "/messages";
        Map<String, String> headers = Map.of("Authorization", "Bearer " + apiKey(), "Idempotency-Key", "api-1");

        HttpResponse<String> first = Http.request(port(), "POST", path, headers, "{\"message\":\"from the backend\"}");
        HttpResponse<String> retry = Http.request(otherPort(), "POST", path, headers, "{\"message\":\"from the backend\"}");
        HttpResponse<String> reused = Http.request(port(), "POST", path, headers, "{\"message\":\"something else\"}");
        HttpResponse<String> invalid = Http.request(port(), "POST", path,
                Map.of("Authorization", "Bearer " + apiKey(), "Idempotency-Key", "k".repeat(129)), "{\"message\":1}");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).doesNotContain("duplicate");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body().replace("}", ",\"duplicate\":true}"));
        assertThat(reused.statusCode()).isEqualTo(422);
        JsonErrors.assertError(reused.body(), "idempotency_key_reused");
        assertThat(invalid.statusCode()).isEqualTo(400);
        JsonErrors.assertError(invalid.body(), "invalid_idempotency_key");
        assertThat(bob.next("message").text("message")).isEqualTo("from the backend");
        bob.assertNothingMore();
    }
}
