package dev.switchboard.client.transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link TransportListener} for the transports' tests: writes down what it is told, in order —
 * {@code open}, each text, {@code activity}, {@code <code> <reason>} for a close, an error's message —
 * and, when {@code requestFirst}, asks for the first message at the opening as the client does.
 * Thread-safe.
 */
public final class RecordingListener implements TransportListener {
    private final boolean requestFirst;
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    public RecordingListener(boolean requestFirst) {
        this.requestFirst = requestFirst;
    }

    /** What it was told so far. */
    public List<String> seen() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    @Override
    public void onOpen(TransportSocket socket) {
        seen.add("open");
        if (requestFirst) {
            socket.request(1);
        }
    }

    @Override
    public void onText(String text) {
        seen.add(text);
    }

    @Override
    public void onActivity() {
        seen.add("activity");
    }

    @Override
    public void onClose(int code, String reason) {
        seen.add(code + " " + reason);
    }

    @Override
    public void onError(Throwable error) {
        seen.add(error.getMessage());
    }
}
