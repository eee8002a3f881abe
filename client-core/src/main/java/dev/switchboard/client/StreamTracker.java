package dev.switchboard.client;

/**
 * The client's place in its user's stream: the epoch and the last seq handed on. It decides what
 * a welcome means and drops any message already seen, which gives the listener each message once,
 * in seq order. Pure logic; not thread-safe (the client's own thread owns it).
 */
final class StreamTracker {
    private String epoch;
    private long lastSeq;
    private boolean positioned;

    /** Whether the next connection should ask to resume ({@code ?since=&epoch=}). */
    boolean canResume() {
        return positioned && epoch != null;
    }

    String epoch() {
        return epoch;
    }

    long lastSeq() {
        return lastSeq;
    }

    /**
     * Takes in a welcome.
     *
     * @param recovered the welcome's {@code recovered}, {@code null} when the server did not say
     *     (it does not when the client did not ask to resume)
     * @return what the application must resynchronise, or {@code null} when nothing was lost
     */
    Resync welcome(String welcomeEpoch, long welcomeSeq, Boolean recovered) {
        if (!canResume()) {
            // First connection (or a send-only one): live messages start after the welcome's seq.
            epoch = welcomeEpoch;
            lastSeq = welcomeSeq;
            positioned = true;
            return null;
        }
        if (Boolean.TRUE.equals(recovered) && epoch.equals(welcomeEpoch)) {
            return null; // the missed messages follow, from lastSeq + 1
        }
        Resync resync = new Resync(epoch, lastSeq, welcomeEpoch, welcomeSeq);
        epoch = welcomeEpoch;
        lastSeq = welcomeSeq;
        positioned = true;
        return resync;
    }

    /**
     * Whether a message is new: {@code true} (and it becomes the last one) when its seq is past the
     * last; {@code false} for one already handed on.
     */
    boolean accept(long seq) {
        if (seq <= lastSeq) {
            return false;
        }
        lastSeq = seq;
        return true;
    }
}
