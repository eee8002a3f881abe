package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReconnectPolicyTest {
    private final ReconnectPolicy fixedToken = new ReconnectPolicy(ClientOptions.DEFAULT_TERMINAL_CLOSE_CODES, false);
    private final ReconnectPolicy provider = new ReconnectPolicy(ClientOptions.DEFAULT_TERMINAL_CLOSE_CODES, true);

    @Test
    void dropsRestartsAndServerTroubleAreRetried() {
        for (int code : new int[] {1000, 1001, 1006, 1009, 1011, 4000, 4008}) {
            assertThat(fixedToken.stopAfterClose(code)).as("close %d", code).isNull();
        }
        for (int status : new int[] {408, 429, 500, 502, 503}) {
            assertThat(fixedToken.stopAfterHandshake(status)).as("HTTP %d", status).isNull();
        }
    }

    @Test
    void refusalsThatWouldRepeatStopTheClient() {
        for (int status : new int[] {400, 401, 403, 404, 426}) {
            assertThat(fixedToken.stopAfterHandshake(status)).as("HTTP %d", status).contains(Integer.toString(status));
        }
        assertThat(fixedToken.stopAfterClose(1008)).contains("terminal");
        assertThat(fixedToken.stopAfterClose(4003)).contains("terminal");
    }

    @Test
    void anExpiredTokenIsRetriedOnlyWhenANewOneCanBeHad() {
        assertThat(fixedToken.stopAfterClose(4001)).contains("no TokenProvider");
        assertThat(provider.stopAfterClose(4001)).isNull();
    }

    @Test
    void theTerminalCodesAreTheApplicationsChoice() {
        ReconnectPolicy stubborn = new ReconnectPolicy(Set.of(), false);
        ReconnectPolicy strict = new ReconnectPolicy(Set.of(1001), false);

        assertThat(stubborn.stopAfterClose(4003)).isNull();
        assertThat(strict.stopAfterClose(1001)).isNotNull();
    }
}
