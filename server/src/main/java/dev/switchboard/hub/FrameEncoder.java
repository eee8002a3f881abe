package dev.switchboard.hub;

import dev.switchboard.core.Publication;

/**
 * Turns a publication into the transport's outgoing frame form (for example a pooled buffer).
 * One encoder per wire protocol; a {@link Delivery} calls it at most once per publication, so all
 * connections that speak the same protocol share one encoded frame.
 *
 * @param <F> the encoded form
 */
public interface FrameEncoder<F> {
    F encode(Publication publication);

    /** Releases the delivery's own reference to {@code frame} once every session has taken its copy. */
    void release(F frame);
}
