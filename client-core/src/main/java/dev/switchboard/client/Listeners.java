package dev.switchboard.client;

import java.util.function.Consumer;

/** The application's callbacks; none is {@code null} (unset ones do nothing). */
record Listeners(Consumer<Message> onMessage, Consumer<Receipt> onReceipt, Consumer<Presence> onPresence,
                 Consumer<StateChange> onStateChange, Consumer<Resync> onResync, Consumer<Throwable> onError) {
}
