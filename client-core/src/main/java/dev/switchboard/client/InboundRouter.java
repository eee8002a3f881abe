package dev.switchboard.client;

import java.io.IOException;

/**
 * What each frame from the server means for the client: a welcome goes to the lifecycle; a message
 * is handed to the listeners once, in seq order, and confirmed when it asked for a receipt;
 * answers and errors complete their requests; receipts and presence changes become events.
 *
 * <p>Threading: the client thread only.
 */
final class InboundRouter {
    private static final System.Logger log = System.getLogger(InboundRouter.class.getName());

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
        if (inbound instanceof Inbound.Welcome welcome) {
            if (!connection.welcomed) {
                lifecycle.welcomed(connection, welcome);
            }
        } else if (!connection.welcomed) {
            log.log(System.Logger.Level.DEBUG, "a frame before the welcome was skipped");
        } else if (inbound instanceof Inbound.Delivery delivery) {
            deliver(connection, delivery.message());
        } else if (inbound instanceof Inbound.Answer answer) {
            requests.answer(answer.id(), answer.value()); // an unknown id: it timed out, or a heartbeat's pong
        } else if (inbound instanceof Inbound.Failure failure) {
            RequestFailedException error = new RequestFailedException(failure.code(), failure.text());
            if (!requests.fail(failure.id(), error)) {
                events.error(error); // e.g. rate_limited, which names no request
            }
        } else if (inbound instanceof Inbound.Event event) {
            if (event.value() instanceof Receipt receipt) {
                events.receipt(receipt);
            } else if (event.value() instanceof Presence presence) {
                events.presence(presence);
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
            log.log(System.Logger.Level.WARNING, "seq " + message.seq() + " arrived where " + expected
                    + " was expected: the server broke its no-gap promise");
        }
        events.message(message, message.receiptRequested()
                ? lifecycle.confirmation(connection, message.seq()) : () -> { });
    }
}
