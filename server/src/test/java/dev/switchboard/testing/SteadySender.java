package dev.switchboard.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a {@code switchboard.v1} connection sending {@code "m1"}, {@code "m2"} … to one user on a
 * thread of its own, with up to {@value #IN_FLIGHT} sends not yet acknowledged — dense enough that
 * publications land inside the short windows of a connection joining. It must be the only sender
 * to a user whose stream starts empty: message {@code n} must be acknowledged with seq {@code n}.
 */
public final class SteadySender implements AutoCloseable {
    public static final int IN_FLIGHT = 64;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong acked = new AtomicLong();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final CompletableFuture<Void> running;

    private SteadySender(V1Client client, String to) {
        running = CompletableFuture.runAsync(() -> {
            long sent = 0;
            while (!stop.get() || acked.get() < sent) {
                if (!stop.get() && sent - acked.get() < IN_FLIGHT) {
                    sent++;
                    client.send("r" + sent, to, "\"m" + sent + "\"");
                    continue;
                }
                V1Frame ack = client.next("ack");
                if (ack.number("seq") != acked.get() + 1) {
                    throw new AssertionError("ack " + ack + " after seq " + acked.get());
                }
                acked.incrementAndGet();
            }
        }, thread);
    }

    public static SteadySender start(V1Client client, String to) {
        return new SteadySender(client, to);
    }

    /** Stops sending and waits for every ack; returns the number of messages sent. */
    public long stop() throws InterruptedException, ExecutionException, TimeoutException {
        stop.set(true);
        running.get(Eventually.TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        return acked.get();
    }

    @Override
    public void close() {
        stop.set(true);
        thread.shutdownNow();
    }
}
