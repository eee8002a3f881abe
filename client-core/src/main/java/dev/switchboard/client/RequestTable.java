package dev.switchboard.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests awaiting their answers, and the order they are written in.
 *
 * <p>A request is <em>unwritten</em> until it is handed to a socket, then <em>written</em> to that
 * connection. The difference decides what a dropped connection does to it: an unwritten request
 * waits for the next connection (it was never sent, so sending it later cannot duplicate it). A
 * written <em>send</em> carries an idempotency key, so it goes back to the head of the queue, in
 * its original order, and is written again on the next connection: the server answers a repeat
 * with the first ack ({@code duplicate}) and delivers it once. Effectively once, in order. A
 * written query (presence, ping) fails with {@link ConnectionLostException}.
 *
 * <p>Threading: {@link #tryReserve}, {@link #nextId} and {@link #release} are for any thread (they
 * bound the table before a request reaches it); everything else belongs to the client's thread.
 */
final class RequestTable {
    /** One request: its frame, its future, and where it was written. */
    static final class Request<T> {
        final String id;
        final String frame;
        final Class<T> answerType;
        /** A send with an idempotency key: written again after a dropped connection, never timed out. */
        final boolean resendable;
        final CompletableFuture<T> future = new CompletableFuture<>();
        /** Its place in the order requests were filed. */
        long order;
        Connection writtenTo;
        ScheduledFuture<?> timeout;

        Request(String id, String frame, Class<T> answerType, boolean resendable) {
            this.id = id;
            this.frame = frame;
            this.answerType = answerType;
            this.resendable = resendable;
        }

        void complete(Object value) {
            if (answerType.isInstance(value)) {
                future.complete(answerType.cast(value));
            } else {
                future.completeExceptionally(new SwitchboardException("the server answered request " + id
                        + " with " + (value == null ? "a pong" : value.getClass().getSimpleName())));
            }
        }

        void fail(Throwable error) {
            future.completeExceptionally(error);
        }
    }

    private final int max;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Request<?>> byId = new HashMap<>();
    private final ArrayDeque<Request<?>> unwritten = new ArrayDeque<>();
    private long filed;

    RequestTable(int maxPendingRequests) {
        this.max = maxPendingRequests;
    }

    /**
     * Any thread: claims a place; {@code false} when {@code maxPendingRequests} are outstanding,
     * unless the request {@code displaces} the oldest send (which {@link #add} then fails).
     */
    boolean tryReserve(boolean displaces) {
        if (displaces) {
            outstanding.incrementAndGet();
            return true;
        }
        while (true) {
            int now = outstanding.get();
            if (now >= max) {
                return false;
            }
            if (outstanding.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Fails the oldest send still waiting for its ack (written or not), to make room for a newer one. */
    private void dropOldestSend() {
        Request<?> oldest = null;
        for (Request<?> request : byId.values()) {
            if (request.resendable && (oldest == null || request.order < oldest.order)) {
                oldest = request;
            }
        }
        if (oldest != null) {
            remove(oldest.id);
            unwritten.remove(oldest);
            oldest.fail(new RejectedExecutionException("send " + oldest.id + " was dropped: " + max
                    + " sends were waiting for their acks, and the queue keeps the newest (SendOverflow.DROP_OLDEST)"));
        }
    }

    /** Any thread: gives back a place claimed by {@link #tryReserve}. */
    void release() {
        outstanding.decrementAndGet();
    }

    /** Any thread: a fresh request id. */
    String nextId() {
        return "r" + ids.incrementAndGet();
    }

    int maxPending() {
        return max;
    }

    /** Files a request to be written in turn. */
    void add(Request<?> request) {
        if (request.resendable && byId.size() >= max) {
            dropOldestSend();
        }
        request.order = ++filed;
        byId.put(request.id, request);
        unwritten.addLast(request);
    }

    /** The next request to write, or {@code null}; the caller writes it and calls {@link #written}. */
    Request<?> nextUnwritten() {
        Request<?> next;
        while ((next = unwritten.pollFirst()) != null) {
            if (!next.future.isDone()) { // timed out or cancelled meanwhile: nothing to write
                return next;
            }
        }
        return null;
    }

    /** Whether a request waits to be written. */
    boolean hasUnwritten() {
        return !unwritten.isEmpty();
    }

    void written(Request<?> request, Connection connection) {
        request.writtenTo = connection;
    }

    /** The answer to {@code id} arrived; {@code false} if no such request is waiting (it timed out). */
    boolean answer(String id, Object value) {
        Request<?> request = id == null ? null : remove(id);
        if (request == null) {
            return false;
        }
        request.complete(value);
        return true;
    }

    /** Request {@code id} was refused; {@code false} if no such request is waiting. */
    boolean fail(String id, Throwable error) {
        Request<?> request = id == null ? null : remove(id);
        if (request == null) {
            return false;
        }
        request.fail(error);
        return true;
    }

    /** The request's time is up: fails it, saying whether it had been sent. */
    void timedOut(Request<?> request, long timeoutMillis) {
        if (byId.remove(request.id, request)) {
            request.fail(new TimeoutException("no answer within " + timeoutMillis + " ms"
                    + (request.writtenTo == null ? " (never sent: no connection)" : " (sent; outcome unknown)")));
        }
    }

    /**
     * The connection dropped: every send written to it goes back to the head of the queue, in the
     * order they were filed, to be written again; every other request written to it fails.
     * Unwritten ones stay for the next connection.
     */
    void connectionLost(Connection connection, String why, Throwable cause) {
        List<Request<?>> lost = new ArrayList<>();
        List<Request<?>> resend = new ArrayList<>();
        for (Request<?> request : byId.values()) {
            if (request.writtenTo == connection) {
                (request.resendable ? resend : lost).add(request);
            }
        }
        resend.sort(java.util.Comparator.comparingLong(r -> r.order));
        for (int i = resend.size() - 1; i >= 0; i--) {
            Request<?> request = resend.get(i);
            request.writtenTo = null;
            unwritten.addFirst(request);
        }
        for (Request<?> request : lost) {
            remove(request.id);
            request.fail(new ConnectionLostException("the connection dropped before request " + request.id
                    + " was answered (" + why + ")", cause));
        }
    }

    /** Fails every waiting request: the client is closing. */
    void failAll(Throwable error) {
        List<Request<?>> all = new ArrayList<>(byId.values());
        byId.clear();
        unwritten.clear();
        for (Request<?> request : all) {
            cancelTimeout(request);
            request.fail(error);
        }
    }

    /** Requests waiting for an answer (written or not). */
    int size() {
        return byId.size();
    }

    private Request<?> remove(String id) {
        Request<?> request = byId.remove(id);
        if (request != null) {
            cancelTimeout(request);
        }
        return request;
    }

    private static void cancelTimeout(Request<?> request) {
        ScheduledFuture<?> timeout = request.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
