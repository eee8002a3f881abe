package dev.switchboard.client;

import dev.switchboard.client.transport.TransportListener;
import dev.switchboard.client.transport.TransportSocket;
import dev.switchboard.client.transport.WebSocketTransport;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which transport a client built without one gets. */
class TransportsTest {
    private static WebSocketTransport named(String name) {
        return new WebSocketTransport() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletableFuture<TransportSocket> open(URI uri, String subprotocol, Map<String, String> headers,
                                                          Duration connectTimeout, TransportListener listener) {
                return new CompletableFuture<>();
            }
        };
    }

    private final WebSocketTransport jdk = named("jdk");
    private final WebSocketTransport okhttp = named("okhttp");

    @Test
    void theOnlyOneFoundIsTheOne() {
        assertThat(Transports.choose(List.of(okhttp), null)).isSameAs(okhttp);
        assertThat(Transports.choose(List.of(jdk), " ")).isSameAs(jdk);
    }

    @Test
    void amongSeveralThePropertyChooses() {
        assertThat(Transports.choose(List.of(jdk, okhttp), "okhttp")).isSameAs(okhttp);
        assertThat(Transports.choose(List.of(jdk, okhttp), "jdk")).isSameAs(jdk);
    }

    @Test
    void noneSeveralOrAMisspeltOneSayWhatToDo() {
        assertThatThrownBy(() -> Transports.choose(List.of(), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("switchboard-client-okhttp").hasMessageContaining("builder.transport(...)");
        assertThatThrownBy(() -> Transports.choose(List.of(jdk, okhttp), null))
                .hasMessageContaining("several WebSocket transports on the class path (jdk, okhttp)")
                .hasMessageContaining("-Ddev.switchboard.client.transport=jdk");
        assertThatThrownBy(() -> Transports.choose(List.of(jdk), "okhtp"))
                .hasMessage("-Ddev.switchboard.client.transport=okhtp names no WebSocket transport on the class path;"
                        + " found: jdk");
    }

    @Test
    void theCoreAloneFindsNone() {
        assertThat(Transports.found()).isEmpty();
    }
}
