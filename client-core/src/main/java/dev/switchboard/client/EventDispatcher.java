package dev.switchboard.client;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Calls the application's listeners on one thread of their own, one call at a time, in the order
 * the events happened. A listener may take its time or block (even on a request's future): the
 * client's own thread keeps reading and answering meanwhile, up to {@code maxQueuedEvents}
 * events ahead; past that it asks to be told when the listeners have caught up ({@link #behind()},
 * {@link #notifyWhenCaughtUp}) and stops reading the socket until then.
 *
 * <p>A listener that throws is logged and skipped; the next event is delivered as usual.
 * Thread-safe.
 */
final class EventDispatcher {
    private static final Logger log = Logger.getLogger(EventDispatcher.class.getName());

    private final ExecutorService thread;
    private final Listeners listeners;
    private final int limit;
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicReference<Runnable> whenCaughtUp = new AtomicReference<>();

    /** @param thread a single-threaded executor: the order of calls is the order of events */
    EventDispatcher(ExecutorService thread, Listeners listeners, int maxQueuedEvents) {
        this.thread = thread;
        this.listeners = listeners;
        this.limit = maxQueuedEvents;
    }

    /** Delivers a message, then runs {@code afterwards} (on the listener thread), even if the listener threw. */
    void message(Message message, Runnable afterwards) {
        submit(() -> {
            try {
                call(listeners.onMessage(), message, "message");
            } finally {
                afterwards.run();
            }
        });
    }

    void receipt(Receipt receipt) {
        submit(() -> call(listeners.onReceipt(), receipt, "receipt"));
    }

    void presence(Presence presence) {
        submit(() -> call(listeners.onPresence(), presence, "presence"));
    }

    void stateChange(StateChange change) {
        submit(() -> call(listeners.onStateChange(), change, "state change"));
    }

    void resync(Resync resync) {
        submit(() -> call(listeners.onResync(), resync, "resync"));
    }

    void error(Throwable error) {
        submit(() -> call(listeners.onError(), error, "error"));
    }

    /** Events accepted and not yet delivered. */
    int waiting() {
        return backlog.get();
    }

    /** Whether {@code maxQueuedEvents} events are waiting for the listeners. */
    boolean behind() {
        return backlog.get() >= limit;
    }

    /**
     * Runs {@code callback} once, on the listener thread (or here, if it is so already), when at most
     * half of {@code maxQueuedEvents} events are waiting.
     */
    void notifyWhenCaughtUp(Runnable callback) {
        whenCaughtUp.set(callback);
        // The listeners may have caught up between the caller's behind() and the set above.
        checkCaughtUp(backlog.get());
    }

    /** Lets the events already queued be delivered, then ends the listener thread. */
    void shutdown() {
        thread.shutdown();
    }

    private void submit(Runnable delivery) {
        backlog.incrementAndGet();
        try {
            thread.execute(() -> {
                try {
                    delivery.run();
                } finally {
                    checkCaughtUp(backlog.decrementAndGet());
                }
            });
        } catch (RejectedExecutionException closed) {
            backlog.decrementAndGet(); // the client is closed and its final event delivered
        }
    }

    private void checkCaughtUp(int waiting) {
        if (waiting <= limit / 2) {
            Runnable callback = whenCaughtUp.getAndSet(null);
            if (callback != null) {
                callback.run();
            }
        }
    }

    private static <T> void call(Consumer<T> listener, T event, String what) {
        try {
            listener.accept(event);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) {
            log.log(Level.WARNING, "the " + what + " listener threw; continuing with the next event", e);
        }
    }
}
