package dev.switchboard.core;

/**
 * A place in a user's stream: the last {@code seq} within an {@code epoch}. A new epoch means the
 * stream's history was lost (for example a single node restarted), so positions of the old epoch
 * cannot be resumed from.
 */
public record StreamPosition(long seq, String epoch) {
}
