package dev.switchboard.transport;

import dev.switchboard.core.ErrorCode;

/**
 * A client frame that breaks the protocol's rules (not the WebSocket's): answered with an error
 * frame, the connection stays open. Carries no stack trace: it is ordinary control flow for bad
 * input and must stay cheap when a client floods bad frames.
 */
public final class FrameException extends Exception {
    private final ErrorCode code;
    private final String requestId;

    public FrameException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /** @param requestId the request's {@code id} (switchboard.v1), so the error can name it */
    public FrameException(ErrorCode code, String message, String requestId) {
        super(message, null, false, false);
        this.code = code;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    /** The id of the refused request, or {@code null}. */
    public String requestId() {
        return requestId;
    }
}
