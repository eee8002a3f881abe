package dev.switchboard.core;

/**
 * The answer to a request that one node forwarded to the node holding its connection (an SSE
 * connection's {@code POST} that a load balancer sent elsewhere): the status and body the holding
 * node's transport answered with, to be given back as they are. Immutable.
 *
 * @param status an HTTP status; or {@link #NOT_HELD} when the node holds no such connection, or
 *     {@link #FAILED} when it holds it but could not run the request (it is shutting down)
 * @param body the answer's body (JSON), empty when there is none
 */
public record Forwarded(int status, byte[] body) {
    /** The status of {@link #notHeld()}. */
    public static final int NOT_HELD = 0;
    /** The status of {@link #failed()}. */
    public static final int FAILED = 1;

    private static final Forwarded NOT_HELD_ANSWER = new Forwarded(NOT_HELD, new byte[0]);
    private static final Forwarded FAILED_ANSWER = new Forwarded(FAILED, new byte[0]);

    public Forwarded {
        if (status != NOT_HELD && status != FAILED && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        body = body == null ? new byte[0] : body;
    }

    /** The answer of a node that holds no such connection (never had it, or it is closed and gone). */
    public static Forwarded notHeld() {
        return NOT_HELD_ANSWER;
    }

    /** The answer of a node that holds the connection but could not run the request. */
    public static Forwarded failed() {
        return FAILED_ANSWER;
    }

    /** Whether the node held the connection (else {@link #notHeld()}). */
    public boolean held() {
        return status != NOT_HELD;
    }
}
