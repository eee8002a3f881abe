package dev.switchboard.core;

/**
 * A publish carried an idempotency key its sender already used, within the window, for another
 * user or another message. Nothing was sent.
 */
public final class IdempotencyKeyReusedException extends RuntimeException {
    public IdempotencyKeyReusedException() {
        super("this idempotency key was already used for another user or message; nothing was sent", null, false,
                false);
    }

    /** Whether {@code error}, or the cause it wraps, is this exception. */
    public static boolean is(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof IdempotencyKeyReusedException) {
                return true;
            }
        }
        return false;
    }
}
