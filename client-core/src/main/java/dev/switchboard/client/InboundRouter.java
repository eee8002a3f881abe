package dev.switchboard.client;

import java.io.IOException;
import java.util.logging.Logger;

/**
 * What each frame from the server means for the client: a welcome goes to the lifecycle; a message
 * is handed to the listeners once, in seq order, and confirmed when it asked for a receipt;
 * answers and errors complete their requests; receipts and presence changes become events.
 *
 * <p>Threading: the client thread only.
 */
final class InboundRouter {
    private static final Logger log = Logger.getLogger(InboundRouter.class.getName());

    /** The client's lifecycle, as far as frames concern it. */
    interface Lifecycle {
        /** The server welcomed {@code connection}: it is open. */
        void welcomed(Connection connection, Inbound.Welcome welcome);

        /** A task, for any thread, that confirms message {@code seq} on {@code connection}. */
        Runnable confirmation(Connection connection, long seq);
    }

    private final StreamTracker stream;
    private final RequestTable requests;
    private final EventDispatcher events;
    private final Lifecycle lifecycle;

    InboundRouter(StreamTracker stream, RequestTable requests, EventDispatcher events, Lifecycle lifecycle) {
        this.stream = stream;
        this.requests = requests;
        this.events = events;
        this.lifecycle = lifecycle;
    }

    /** Acts on one whole frame that arrived on {@code connection}, the current one. */
    void route(Connection connection, String text) {
        Inbound inbound;
        try {
            inbound = InboundParser.parse(text);
        } catch (IOException e) {
            events.error(new SwitchboardException("an unreadable frame from the server: " + Json.describe(e), e));
            return;
        }
        if (inbound instanceof Inbound.Welcome) {
            if (!connection.welcomed) {
                lifecycle.welcomed(connection, (Inbound.Welcome) inbound);
            }
        } else if (!connection.welcomed) {
            log.fine("a frame before the welcome was skipped");
        } else if (inbound instanceof Inbound.Delivery) {
            deliver(connection, ((Inbound.Delivery) inbound).message());
        } else if (inbound instanceof Inbound.Answer) {
            Inbound.Answer answer = (Inbound.Answer) inbound;
            requests.answer(answer.id(), answer.value()); // an unknown id: it timed out, or a heartbeat's pong
        } else if (inbound instanceof Inbound.Failure) {
            Inbound.Failure failure = (Inbound.Failure) inbound;
            RequestFailedException error = new RequestFailedException(failure.code(), failure.text());
            if (!requests.fail(failure.id(), error)) {
                events.error(error); // e.g. rate_limited, which names no request
            }
        } else if (inbound instanceof Inbound.Event) {
            Object value = ((Inbound.Event) inbound).value();
            if (value instanceof Receipt) {
                events.receipt((Receipt) value);
            } else if (value instanceof Presence) {
                events.presence((Presence) value);
            }
        }
        // Inbound.Unknown: the protocol grows by adding; skip what this client does not know.
    }

    private void deliver(Connection connection, Message message) {
        long expected = stream.lastSeq() + 1;
        if (!stream.accept(message.seq())) {
            return; // seen already: each message reaches the listener once
        }
        if (message.seq() != expected) {
            log.warning("seq " + message.seq() + " arrived where " + expected
                    + " was expected: the server broke its no-gap promise");
        }
        events.message(message, message.receiptRequested()
                ? lifecycle.confirmation(connection, message.seq()) : () -> { });
    }
}
