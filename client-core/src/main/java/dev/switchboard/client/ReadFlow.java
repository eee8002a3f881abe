package dev.switchboard.client;

import java.util.function.Consumer;

/**
 * Keeps the client from reading faster than its listeners: the next frame is asked for only while
 * the event queue is not behind; when it is, reading pauses until the listeners catch up, so the
 * server — not this process — buffers (up to its own bound). Confined to the client's thread.
 */
final class ReadFlow {
    private final EventDispatcher events;
    /** Runs a task on the client's thread. */
    private final Consumer<Runnable> clientThread;
    private boolean paused;

    ReadFlow(EventDispatcher events, Consumer<Runnable> clientThread) {
        this.events = events;
        this.clientThread = clientThread;
    }

    /** Whether reading is paused: silence from the server then proves nothing. */
    boolean paused() {
        return paused;
    }

    /**
     * Lets the next frame in on {@code connection}, unless the listeners are too far behind.
     *
     * @param current the connection that is current when reading resumes, or {@code null}
     */
    void readNext(Connection connection, java.util.function.Supplier<Connection> current) {
        if (!events.behind()) {
            connection.requestNext();
        } else if (!paused) {
            paused = true;
            events.notifyWhenCaughtUp(() -> clientThread.accept(() -> {
                paused = false;
                Connection now = current.get();
                if (now != null) {
                    now.requestNext();
                }
            }));
        }
    }
}
