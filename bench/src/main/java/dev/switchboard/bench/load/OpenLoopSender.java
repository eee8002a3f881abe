package dev.switchboard.bench.load;

import dev.switchboard.bench.client.ClientSession;
import dev.switchboard.bench.client.FrameListener;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One sending connection in an open loop: message k is due at {@code first + k·period} whatever the
 * server does, and carries that intended time as its stamp. A server that stalls therefore shows
 * the stall in every message that should have gone out meanwhile (no coordinated omission). The
 * session's event loop wakes at each due time (not on a coarse tick, whose granularity would be
 * charged to the server as latency) and sends everything that has come due.
 */
final class OpenLoopSender implements FrameListener {

    private final LoadStats stats;
    private final SendGate gate;
    /** The next message's user; called on this sender's event loop only. */
    private final Supplier<String> nextUser;
    private final int payloadSize;
    private final long periodNanos;
    /** Beyond this many unacknowledged sends the server is hopelessly behind: skip (and count) sends. */
    private final long maxInFlight;
    private long nextDue;
    private long inFlight;

    /** Sends to users picked at random from {@code users}. */
    OpenLoopSender(LoadStats stats, SendGate gate, String[] users, double ratePerSecond, int payloadSize) {
        this(stats, gate, () -> users[ThreadLocalRandom.current().nextInt(users.length)], ratePerSecond, payloadSize);
    }

    OpenLoopSender(LoadStats stats, SendGate gate, Supplier<String> nextUser, double ratePerSecond, int payloadSize) {
        this.stats = stats;
        this.gate = gate;
        this.nextUser = nextUser;
        this.payloadSize = payloadSize;
        this.periodNanos = Math.max(1, Math.round(1e9 / ratePerSecond));
        this.maxInFlight = Math.max(1_000, Math.round(ratePerSecond * 5));
    }

    /** Starts sending with the first message due at {@code firstDueNanos}. */
    void start(ClientSession session, long firstDueNanos) {
        session.channel().eventLoop().execute(() -> {
            nextDue = firstDueNanos;
            sendDue(session);
        });
    }

    private void sendDue(ClientSession session) {
        if (!gate.isOpen() || !session.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        boolean wrote = false;
        while (nextDue <= now) {
            if (inFlight >= maxInFlight) {
                stats.skipped();
            } else {
                session.write(nextUser.get(), nextDue, payloadSize);
                inFlight++;
                stats.sent();
                wrote = true;
            }
            nextDue += periodNanos;
        }
        if (wrote) {
            session.flush();
        }
        session.channel().eventLoop().schedule(() -> sendDue(session), nextDue - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onAck(ClientSession session, int delivered) {
        inFlight--;
        stats.acked(delivered, -1);
    }

    @Override
    public void onError(ClientSession session, String text) {
        inFlight--;
        stats.error(text);
    }

    @Override
    public void onClosed(ClientSession session) {
        stats.connectionLost();
    }
}
