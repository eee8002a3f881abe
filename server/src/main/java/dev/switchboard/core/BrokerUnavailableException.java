package dev.switchboard.core;

/**
 * The broker could not take a request, and nothing was sent: a cluster node that cannot reach its
 * Redis refuses commands instead of queueing them. Retrying (on another node, or later) cannot
 * duplicate anything. Any other failure of a publish may come after the store accepted it.
 */
public final class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message) {
        super(message, null, false, false);
    }

    /** Whether {@code error}, or the cause it wraps, is this exception. */
    public static boolean is(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BrokerUnavailableException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
