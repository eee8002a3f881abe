package dev.switchboard.client;

import java.util.Set;

/**
 * Whether a lost connection or a failed attempt is worth retrying. The rule: retry whatever may
 * succeed later (network errors, server restarts, overload), stop where the same request would be
 * refused again (bad credentials, a wrong URL) or where the server asked us to stay away. Pure
 * logic; immutable.
 */
final class ReconnectPolicy {
    static final int TOKEN_EXPIRED = 4001;

    private final Set<Integer> terminalCloseCodes;
    private final boolean tokenRefreshable;

    /** @param tokenRefreshable whether a new token can be asked for (a {@link TokenProvider} was given) */
    ReconnectPolicy(Set<Integer> terminalCloseCodes, boolean tokenRefreshable) {
        this.terminalCloseCodes = terminalCloseCodes;
        this.tokenRefreshable = tokenRefreshable;
    }

    /**
     * After the server closed an open connection with {@code code}.
     *
     * @return why the client should not reconnect, or {@code null} to reconnect
     */
    String stopAfterClose(int code) {
        if (code == TOKEN_EXPIRED) {
            return tokenRefreshable ? null : "the token expired and the client has no TokenProvider to renew it";
        }
        if (terminalCloseCodes.contains(code)) {
            return "the server closed the connection with " + code + ", a terminal close code";
        }
        return null;
    }

    /**
     * After the server refused a handshake with an HTTP {@code status}.
     *
     * @return why the client should not retry, or {@code null} to retry
     */
    String stopAfterHandshake(int status) {
        // 408 and 429 are about timing, 5xx about the server's state: both may pass. Any other
        // refusal (401 bad token, 403 origin, 400, 404 wrong path) would be repeated verbatim.
        if (status == 408 || status == 429 || status >= 500) {
            return null;
        }
        return "the server refused the handshake with HTTP " + status;
    }
}
