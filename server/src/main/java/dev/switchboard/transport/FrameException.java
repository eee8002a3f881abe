package dev.switchboard.transport;

import dev.switchboard.core.ErrorCode;

/**
 * A client frame that breaks the protocol's rules (not the WebSocket's): answered with an error
 * frame, the connection stays open. Carries no stack trace: it is ordinary control flow for bad
 * input and must stay cheap when a client floods bad frames.
 */
final class FrameException extends Exception {
    private final ErrorCode code;

    FrameException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
