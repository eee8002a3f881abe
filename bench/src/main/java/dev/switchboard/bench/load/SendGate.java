package dev.switchboard.bench.load;

/** Tells senders on every event loop whether to keep sending; flipped once by the driving thread. */
final class SendGate {

    private volatile boolean open;

    void open() {
        open = true;
    }

    void close() {
        open = false;
    }

    boolean isOpen() {
        return open;
    }
}
