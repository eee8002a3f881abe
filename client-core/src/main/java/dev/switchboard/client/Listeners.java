package dev.switchboard.client;

import java.util.function.Consumer;

/** The application's callbacks; none is {@code null} (unset ones do nothing). Immutable. */
final class Listeners {
    private final Consumer<Message> onMessage;
    private final Consumer<Receipt> onReceipt;
    private final Consumer<Presence> onPresence;
    private final Consumer<StateChange> onStateChange;
    private final Consumer<Resync> onResync;
    private final Consumer<Throwable> onError;

    Listeners(Consumer<Message> onMessage, Consumer<Receipt> onReceipt, Consumer<Presence> onPresence,
              Consumer<StateChange> onStateChange, Consumer<Resync> onResync, Consumer<Throwable> onError) {
        this.onMessage = onMessage;
        this.onReceipt = onReceipt;
        this.onPresence = onPresence;
        this.onStateChange = onStateChange;
        this.onResync = onResync;
        this.onError = onError;
    }

    Consumer<Message> onMessage() {
        return onMessage;
    }

    Consumer<Receipt> onReceipt() {
        return onReceipt;
    }

    Consumer<Presence> onPresence() {
        return onPresence;
    }

    Consumer<StateChange> onStateChange() {
        return onStateChange;
    }

    Consumer<Resync> onResync() {
        return onResync;
    }

    Consumer<Throwable> onError() {
        return onError;
    }
}
