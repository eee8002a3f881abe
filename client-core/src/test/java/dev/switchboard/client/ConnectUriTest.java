package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectUriTest {
    @Test
    void addsTheUserAndOnceThereIsAPositionWhereToResume() {
        StreamTracker stream = new StreamTracker();
        URI base = URI.create("ws://localhost:5201/");

        assertThat(ConnectUri.of(base, "bob & co", stream)).hasToString("ws://localhost:5201/?userId=bob+%26+co");
        stream.welcome("7Bw-TCE_ko7kM", 41, null);
        assertThat(ConnectUri.of(base, "bob", stream))
                .hasToString("ws://localhost:5201/?userId=bob&since=41&epoch=7Bw-TCE_ko7kM");
        assertThat(ConnectUri.of(base, null, stream)).hasToString("ws://localhost:5201/?since=41&epoch=7Bw-TCE_ko7kM");
    }

    @Test
    void keepsThePathAndTheQueryItWasGiven() {
        StreamTracker stream = new StreamTracker();

        assertThat(ConnectUri.of(URI.create("wss://example.com/ws?tenant=a%2Fb"), "bob", stream))
                .hasToString("wss://example.com/ws?tenant=a%2Fb&userId=bob");
        assertThat(ConnectUri.of(URI.create("ws://example.com"), null, stream)).hasToString("ws://example.com/");
    }

    @Test
    void onlyWebSocketUrisWithAHostAreAccepted() {
        assertThat(ConnectUri.validate(URI.create("WSS://example.com/"))).isNotNull();
        assertThatThrownBy(() -> ConnectUri.validate(URI.create("http://example.com/")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectUri.validate(URI.create("ws:relative"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectUri.validate(URI.create("ws://example.com/#x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIdentityAndTheResumePositionAreNotTakenFromTheUri() {
        assertThatThrownBy(() -> ConnectUri.validate(URI.create("ws://localhost:5201/?userId=bob")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userId(...)");
        assertThatThrownBy(() -> ConnectUri.validate(URI.create("ws://localhost:5201/?token=eyJ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token(...)")
                .hasMessageNotContaining("eyJ");
        assertThatThrownBy(() -> ConnectUri.validate(URI.create("ws://localhost:5201/?a=1&since=4")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resumes by itself");
        assertThat(ConnectUri.validate(URI.create("ws://localhost:5201/?tenant=a"))).isNotNull();
    }

    @Test
    void thePathIsOneTheServerServesOrAProxysPrefixOfIt() {
        for (String ok : new String[] {"ws://h", "ws://h/", "ws://h/ws", "wss://h/switchboard/", "wss://h/rt/ws"}) {
            assertThat(ConnectUri.validate(URI.create(ok))).as(ok).isNotNull();
        }
        assertThatThrownBy(() -> ConnectUri.validate(URI.create("ws://localhost:5201/chat")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/ and /ws")
                .hasMessageContaining("/chat");
    }
}
