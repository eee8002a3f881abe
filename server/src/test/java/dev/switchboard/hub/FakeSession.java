package dev.switchboard.hub;

import dev.switchboard.core.Publication;

import java.util.ArrayList;
import java.util.List;

/** A hand-written session that records what the hub does to it. Thread-safe. */
public final class FakeSession implements Session {
    private final String id;
    private final String userId;
    private final List<Publication> delivered = new ArrayList<>();
    private final List<SessionEvent> events = new ArrayList<>();
    private volatile boolean open = true;
    private volatile long lastActivityNanos;
    private volatile long openedNanos;
    private volatile long expiresAtMillis;
    private volatile boolean resumable;
    private int pings;
    private int closeCode = -1;
    private String closeReason;

    public FakeSession(String id, String userId) {
        this.id = id;
        this.userId = userId;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public synchronized boolean deliver(Delivery delivery) {
        if (!open) {
            return false;
        }
        delivered.add(delivery.publication());
        return true;
    }

    @Override
    public synchronized void deliverEvent(SessionEvent event) {
        events.add(event);
    }

    public synchronized List<SessionEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public long lastActivityNanos() {
        return lastActivityNanos;
    }

    @Override
    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    @Override
    public boolean resumable() {
        return resumable;
    }

    /** Makes this session one that resumes after a reconnect (a switchboard.v1 connection). */
    public FakeSession resuming() {
        resumable = true;
        return this;
    }

    public void expiresAt(long millis) {
        expiresAtMillis = millis;
    }

    public void openedAt(long nanos) {
        openedNanos = nanos;
    }

    @Override
    public long openedNanos() {
        return openedNanos;
    }

    public void activeAt(long nanos) {
        lastActivityNanos = nanos;
    }

    @Override
    public synchronized void ping() {
        pings++;
    }

    @Override
    public synchronized void close(int code, String reason) {
        if (closeCode < 0) {
            closeCode = code;
            closeReason = reason;
        }
        open = false;
    }

    /** Marks the session closed without the hub's involvement (the peer went away). */
    public void drop() {
        open = false;
    }

    public synchronized List<Publication> delivered() {
        return List.copyOf(delivered);
    }

    public synchronized int pings() {
        return pings;
    }

    public synchronized int closeCode() {
        return closeCode;
    }

    public synchronized String closeReason() {
        return closeReason;
    }
}
