package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientOptionsTest {
    @Test
    void theDefaultsAreTheNamedConstants() {
        ClientOptions options = ClientOptions.defaults();

        assertThat(options.connectTimeout()).isEqualTo(ClientOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(options.requestTimeout()).isEqualTo(ClientOptions.DEFAULT_REQUEST_TIMEOUT);
        assertThat(options.reconnectDelay()).isEqualTo(ClientOptions.DEFAULT_RECONNECT_DELAY);
        assertThat(options.maxReconnectDelay()).isEqualTo(ClientOptions.DEFAULT_MAX_RECONNECT_DELAY);
        assertThat(options.pingInterval()).isEqualTo(ClientOptions.DEFAULT_PING_INTERVAL);
        assertThat(options.maxPendingRequests()).isEqualTo(ClientOptions.DEFAULT_MAX_PENDING_REQUESTS);
        assertThat(options.maxQueuedEvents()).isEqualTo(ClientOptions.DEFAULT_MAX_QUEUED_EVENTS);
        assertThat(options.terminalCloseCodes()).containsExactlyInAnyOrder(1008, 4003);
    }

    @Test
    void withersChangeOneThingAndLeaveTheOriginalAlone() {
        ClientOptions defaults = ClientOptions.defaults();

        ClientOptions changed = defaults.withRequestTimeout(Duration.ofSeconds(1))
                .withReconnectDelay(Duration.ofMillis(10), Duration.ofSeconds(1))
                .withPingInterval(Duration.ZERO);

        assertThat(changed.requestTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(changed.reconnectDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(changed.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(changed.pingInterval()).isZero();
        assertThat(changed.connectTimeout()).isEqualTo(defaults.connectTimeout());
        assertThat(defaults).isEqualTo(ClientOptions.defaults());
    }

    @Test
    void nonsenseIsRefused() {
        ClientOptions d = ClientOptions.defaults();
        assertThatThrownBy(() -> d.withRequestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withConnectTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withReconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withPingInterval(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxPendingRequests(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxQueuedEvents(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTerminalCodesAreCopied() {
        Set<Integer> codes = new HashSet<>(Set.of(4003));
        ClientOptions options = ClientOptions.defaults().withTerminalCloseCodes(codes);

        codes.add(1001);

        assertThat(options.terminalCloseCodes()).containsExactly(4003);
    }
}
