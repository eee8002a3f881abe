package dev.switchboard.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection ids unique across restarts and nodes: the node's id and a counter
 * ({@link dev.switchboard.core.NodeIds}). Thread-safe.
 */
final class ConnectionIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    ConnectionIds(String nodeId) {
        prefix = dev.switchboard.core.NodeIds.requireValid(nodeId) + "-";
    }

    String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
