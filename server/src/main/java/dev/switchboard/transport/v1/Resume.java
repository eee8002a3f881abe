package dev.switchboard.transport.v1;

import dev.switchboard.transport.http.HttpException;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;

/**
 * Where a resuming {@code switchboard.v1} client left off: {@code ?since=<seq>&epoch=<epoch>}, or
 * over SSE the {@code Last-Event-ID: <epoch>:<seq>} a reconnecting {@code EventSource} sends by
 * itself (it wins over the query, which still holds the position of the first connect).
 *
 * @param since the last seq the client saw, or -1 when it does not resume
 * @param epoch the epoch of that seq
 */
record Resume(long since, String epoch) {
    static final Resume NONE = new Resume(-1, null);
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    boolean requested() {
        return since >= 0;
    }

    static Resume of(FullHttpRequest request) throws HttpException {
        String lastEventId = request.headers().get(LAST_EVENT_ID);
        if (lastEventId != null && !lastEventId.isEmpty()) {
            return ofEventId(lastEventId);
        }
        var query = new QueryStringDecoder(request.uri()).parameters();
        String since = first(query.get("since"));
        if (since == null) {
            return NONE;
        }
        long seq;
        try {
            seq = Long.parseLong(since);
        } catch (NumberFormatException e) {
            seq = -1;
        }
        if (seq < 0) {
            throw new HttpException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "since must be the last seq the client saw (an integer >= 0)");
        }
        return new Resume(seq, first(query.get("epoch")));
    }

    /** {@code <epoch>:<seq>}, as {@link MessageFrame#eventId()} writes it. */
    private static Resume ofEventId(String id) throws HttpException {
        int colon = id.lastIndexOf(':');
        long seq = -1;
        if (colon >= 0) {
            try {
                seq = Long.parseLong(id.substring(colon + 1));
            } catch (NumberFormatException e) {
                seq = -1;
            }
        }
        if (seq < 0) {
            throw new HttpException(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "Last-Event-ID must be <epoch>:<seq>, the id of the last message event received");
        }
        String epoch = id.substring(0, colon);
        return new Resume(seq, epoch.isEmpty() ? null : epoch);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }
}
