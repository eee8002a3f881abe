package dev.switchboard.core;

/**
 * WebSocket close codes the server sends. Every one of them is documented in the README; the
 * 4xxx codes are Switchboard's own (RFC 6455 leaves 4000–4999 to applications).
 */
public final class CloseCodes {
    /** The peer closed normally. */
    public static final int NORMAL = 1000;
    /** The server is shutting down; reconnect (to another node). */
    public static final int GOING_AWAY = 1001;
    /** A WebSocket protocol violation (unmasked frame, oversized control frame, bad opcode...). */
    public static final int PROTOCOL_ERROR = 1002;
    /** A text message that is not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** The client kept sending far over its rate limit. */
    public static final int POLICY_VIOLATION = 1008;
    /** A frame or fragmented message larger than {@code --max-message-bytes}. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** An unexpected server error on this connection. */
    public static final int INTERNAL_ERROR = 1011;
    /**
     * Reconnect and resume: the node missed messages for this user during a broker outage, or the
     * user's stream was reset (a new epoch). The client's resume recovers or reports what it can.
     */
    public static final int SERVICE_RESTART = 1012;
    /** The reason that goes with {@link #SERVICE_RESTART} when a connection's stream was reset under it. */
    public static final String STREAM_RESET_REASON = "the stream was reset; reconnect";
    /** The connection sent nothing (no frame, no pong) for {@code --idle-timeout}. */
    public static final int IDLE_TIMEOUT = 4000;
    /** The connection's token expired; reconnect with a fresh one. */
    public static final int TOKEN_EXPIRED = 4001;
    /** The connection was closed through the server API ({@code DELETE /api/users/{id}/connections}). */
    public static final int DISCONNECTED = 4003;
    /** The client did not read: its outbound buffer exceeded {@code --max-outbound-bytes}. */
    public static final int SLOW_CONSUMER = 4008;
    /** Close code reported when the connection ended without a close frame. */
    public static final int ABNORMAL = 1006;

    private CloseCodes() {
    }
}
