package dev.switchboard.core;

/**
 * The broker could not take a request, and nothing was sent: a cluster node that cannot reach its
 * Redis refuses commands instead of queueing them, and a Redis at its {@code maxmemory} refuses a
 * script before it runs. Retrying (on another node, or later) cannot duplicate anything. Any other
 * failure of a publish may come after the store accepted it.
 */
public final class BrokerUnavailableException extends RuntimeException {
    private final boolean full;

    /** The broker cannot be reached. */
    public BrokerUnavailableException(String message) {
        this(message, false);
    }

    /** @param full whether the broker answered, but is out of memory */
    public BrokerUnavailableException(String message, boolean full) {
        super(message, null, false, false);
        this.full = full;
    }

    /** Whether {@code error}, or the cause it wraps, says the broker is out of memory. */
    public static boolean isFull(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof BrokerUnavailableException unavailable) {
                return unavailable.full;
            }
        }
        return false;
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
