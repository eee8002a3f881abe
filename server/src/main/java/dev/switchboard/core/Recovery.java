package dev.switchboard.core;

import java.util.List;

/**
 * The answer to "what did I miss since {@code seq} of {@code epoch}?".
 *
 * @param recovered whether {@code missed} is exactly everything after the client's position: false
 *     when the epoch changed or part of the gap is no longer in history (the client must then
 *     resynchronise by other means)
 * @param missed the publications to send before live ones, in seq order: when recovered, those
 *     after the client's position; when the client's epoch is not the stream's (it cannot have seen
 *     any publication of this epoch), what the history holds of this epoch, from its start;
 *     otherwise none
 * @param position the stream's position when the history was read
 */
public record Recovery(boolean recovered, List<Publication> missed, StreamPosition position) {
    public Recovery {
        missed = List.copyOf(missed);
    }
}
