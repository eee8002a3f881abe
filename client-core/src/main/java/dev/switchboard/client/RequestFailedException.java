package dev.switchboard.client;

/**
 * The server answered a request with an error frame ({@code forbidden}, {@code invalid_user_id},
 * {@code rate_limited}, …; see docs/PROTOCOL.md). The connection stays open. For a send, the
 * message was not accepted: nothing was delivered.
 */
public class RequestFailedException extends SwitchboardException {
    private final String code;

    public RequestFailedException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The protocol's error code, e.g. {@code forbidden}. */
    public String code() {
        return code;
    }
}
