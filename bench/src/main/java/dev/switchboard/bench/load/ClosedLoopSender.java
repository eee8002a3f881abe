package dev.switchboard.bench.load;

import dev.switchboard.bench.client.ClientSession;
import dev.switchboard.bench.client.FrameListener;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One sending connection in a closed loop: keeps {@code window} sends in flight, and sends the next
 * one only when an ack frees a slot, so the rate settles at what the server sustains. Each message
 * targets a user picked uniformly at random. Runs entirely on its session's event loop.
 */
final class ClosedLoopSender implements FrameListener {

    private final LoadStats stats;
    private final SendGate gate;
    private final String[] users;
    private final int payloadSize;
    /** Send times of the messages in flight, oldest first: the server acks each connection in order. */
    private final long[] sentAt;
    private int oldest;
    private int inFlight;
    private boolean unflushed;

    ClosedLoopSender(LoadStats stats, SendGate gate, String[] users, int window, int payloadSize) {
        this.stats = stats;
        this.gate = gate;
        this.users = users;
        this.payloadSize = payloadSize;
        this.sentAt = new long[window];
    }

    /** Fills the window; call once the session is ready. */
    void start(ClientSession session) {
        session.channel().eventLoop().execute(() -> {
            while (inFlight < sentAt.length && gate.isOpen()) {
                send(session);
            }
            session.flush();
        });
    }

    int inFlight() {
        return inFlight;
    }

    @Override
    public void onAck(ClientSession session, int delivered) {
        long sent = release();
        stats.acked(delivered, sent < 0 ? -1 : System.nanoTime() - sent);
        sendNext(session);
    }

    @Override
    public void onError(ClientSession session, String text) {
        release();
        stats.error(text);
        sendNext(session);
    }

    @Override
    public void onReadComplete(ClientSession session) {
        if (unflushed) {
            unflushed = false;
            session.flush();
        }
    }

    private void sendNext(ClientSession session) {
        if (gate.isOpen() && inFlight < sentAt.length) {
            send(session);
            unflushed = true;
        }
    }

    private void send(ClientSession session) {
        long now = System.nanoTime();
        session.write(users[ThreadLocalRandom.current().nextInt(users.length)], now, payloadSize);
        sentAt[(oldest + inFlight) % sentAt.length] = now;
        inFlight++;
        stats.sent();
    }

    /** Frees the oldest slot; returns its send time, or -1 for an answer nobody waited for. */
    private long release() {
        if (inFlight == 0) {
            return -1;
        }
        long sent = sentAt[oldest];
        oldest = (oldest + 1) % sentAt.length;
        inFlight--;
        return sent;
    }

    @Override
    public void onClosed(ClientSession session) {
        stats.connectionLost();
    }
}
