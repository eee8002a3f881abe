package dev.switchboard.bench.load;

import dev.switchboard.bench.client.ClientSession;
import dev.switchboard.bench.client.FrameListener;

/** The listener of every receiving connection: a push arrived, record how long it took. */
final class DeliveryRecorder implements FrameListener {

    private final LoadStats stats;

    DeliveryRecorder(LoadStats stats) {
        this.stats = stats;
    }

    @Override
    public void onDelivery(ClientSession session, long stampNanos) {
        stats.delivered(System.nanoTime() - stampNanos);
    }

    @Override
    public void onError(ClientSession session, String text) {
        stats.error(text);
    }

    @Override
    public void onClosed(ClientSession session) {
        stats.connectionLost();
    }
}
