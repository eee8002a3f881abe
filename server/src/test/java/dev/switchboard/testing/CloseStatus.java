package dev.switchboard.testing;

/**
 * A WebSocket close as a client saw it: the code and reason of the close frame it received.
 *
 * @param code the close code (1005 when the frame had no code)
 * @param reason the reason text, empty when none
 */
public record CloseStatus(int code, String reason) {
}
