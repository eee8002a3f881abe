package dev.switchboard.client.testing;

import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Message;
import dev.switchboard.client.Presence;
import dev.switchboard.client.Receipt;
import dev.switchboard.client.Resync;
import dev.switchboard.client.StateChange;
import dev.switchboard.client.SwitchboardClient;

import java.util.ArrayList;
import java.util.List;

/** Records everything a client's listeners are told, for assertions from the test thread. */
public final class Recorder {
    private final List<Message> messages = new ArrayList<>();
    private final List<Receipt> receipts = new ArrayList<>();
    private final List<Presence> presence = new ArrayList<>();
    private final List<StateChange> states = new ArrayList<>();
    private final List<Resync> resyncs = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final List<String> listenerThreads = new ArrayList<>();

    /** Sets every listener of {@code builder} to record here. */
    public SwitchboardClient.Builder attach(SwitchboardClient.Builder builder) {
        return builder.onMessage(m -> add(messages, m))
                .onReceipt(r -> add(receipts, r))
                .onPresence(p -> add(presence, p))
                .onStateChange(s -> add(states, s))
                .onResync(r -> add(resyncs, r))
                .onError(e -> add(errors, e));
    }

    public List<Message> messages() {
        return snapshot(messages);
    }

    public List<Receipt> receipts() {
        return snapshot(receipts);
    }

    public List<Presence> presence() {
        return snapshot(presence);
    }

    public List<StateChange> states() {
        return snapshot(states);
    }

    public List<Resync> resyncs() {
        return snapshot(resyncs);
    }

    public List<Throwable> errors() {
        return snapshot(errors);
    }

    /** The name of every thread a listener ran on, once per call. */
    public List<String> listenerThreads() {
        return snapshot(listenerThreads);
    }

    public synchronized int messageCount() {
        return messages.size();
    }

    /** How many times the client reached {@code state}. */
    public synchronized long count(ConnectionState state) {
        return states.stream().filter(s -> s.state() == state).count();
    }

    /** The last state change, or {@code null}. */
    public synchronized StateChange lastState() {
        return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    /**
     * Waits for the listeners to hear {@code CLOSED}, and returns that state change. Not
     * {@code client.state()}: the client is {@code CLOSED} before its listeners are told so, on their
     * own thread, and a test that reads the last state change after the state may still see the one
     * before it.
     */
    public StateChange awaitClosed(java.time.Duration atMost) {
        org.awaitility.Awaitility.await().atMost(atMost).until(() -> {
            StateChange last = lastState();
            return last != null && last.state() == ConnectionState.CLOSED;
        });
        return lastState();
    }

    private synchronized <T> void add(List<T> list, T item) {
        list.add(item);
        listenerThreads.add(Thread.currentThread().getName());
    }

    private synchronized <T> List<T> snapshot(List<T> list) {
        return new ArrayList<>(list);
    }
}
