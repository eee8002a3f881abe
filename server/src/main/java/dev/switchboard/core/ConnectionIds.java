package dev.switchboard.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection ids unique across restarts and nodes: the node's id and a counter
 * ({@link dev.switchboard.core.NodeIds}). Thread-safe.
 */
public final class ConnectionIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public ConnectionIds(String nodeId) {
        prefix = dev.switchboard.core.NodeIds.requireValid(nodeId) + "-";
    }

    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
