package dev.switchboard.transport;

import io.netty.channel.EventLoop;

import java.util.concurrent.ConcurrentHashMap;

/** One {@link OutboundBatcher} per event loop, created on first use. Thread-safe. */
final class OutboundBatchers {
    private final ConcurrentHashMap<EventLoop, OutboundBatcher> byLoop = new ConcurrentHashMap<>();

    OutboundBatcher forLoop(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, OutboundBatcher::new);
    }
}
