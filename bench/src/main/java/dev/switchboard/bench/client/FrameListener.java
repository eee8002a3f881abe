package dev.switchboard.bench.client;

/**
 * Receives what a {@link ClientSession} decodes. Callbacks run on the session's event loop; one
 * listener may serve many sessions (receivers share one) or exactly one (each sender has its own).
 */
public interface FrameListener {

    default void onDelivery(ClientSession session, long stampNanos) {
    }

    default void onAck(ClientSession session, int delivered) {
    }

    default void onError(ClientSession session, String text) {
    }

    /** The last frame of one socket read was decoded: the moment to flush what the callbacks wrote. */
    default void onReadComplete(ClientSession session) {
    }

    default void onClosed(ClientSession session) {
    }

    FrameListener IGNORE = new FrameListener() {
    };
}
