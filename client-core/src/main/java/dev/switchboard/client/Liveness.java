package dev.switchboard.client;

/**
 * Decides, from silence alone, whether a connection is alive: after {@code interval} without
 * hearing from the server, ping it; if nothing at all is heard for another interval after the
 * ping, the connection is dead — a half-open TCP connection that TCP itself may not notice for
 * many minutes. Checked twice per interval, a dead connection is found within about 2.5 intervals
 * of the silence starting. Pure logic on a nano clock the caller passes in; not thread-safe (the
 * client's own thread owns it).
 */
final class Liveness {
    enum Verdict {
        /** Nothing to do. */
        ALIVE,
        /** Send a ping now. */
        PING,
        /** The ping went unanswered: replace the connection. */
        DEAD
    }

    private final long intervalNanos;
    /** When the unanswered ping went out; meaningful only while {@code pinged}. */
    private long pingSentNanos;
    private boolean pinged;

    Liveness(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** How often {@link #check} should run. */
    long checkPeriodNanos() {
        return Math.max(1, intervalNanos / 2);
    }

    /**
     * @param now the nano clock now
     * @param lastHeard when anything (a frame, a ping, a pong) last arrived, by the same clock
     */
    Verdict check(long now, long lastHeard) {
        if (pinged) {
            if (lastHeard - pingSentNanos >= 0) {
                pinged = false; // answered, or something else arrived: alive
            } else if (now - pingSentNanos >= intervalNanos) {
                return Verdict.DEAD;
            } else {
                return Verdict.ALIVE; // still waiting for the answer
            }
        }
        if (now - lastHeard >= intervalNanos) {
            pinged = true;
            pingSentNanos = now;
            return Verdict.PING;
        }
        return Verdict.ALIVE;
    }

    /** Forgets an outstanding ping: while the client is not reading, silence proves nothing. */
    void suspend() {
        pinged = false;
    }
}
