package dev.switchboard.bench.relay;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** userId → the open channels registered under it. Thread-safe; touched by every event loop. */
final class RelayRegistry {

    private final ConcurrentHashMap<String, Set<Channel>> channels = new ConcurrentHashMap<>();

    void add(String userId, Channel channel) {
        channels.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(channel);
    }

    /** Removes the channel, and the user once its last channel is gone. */
    void remove(String userId, Channel channel) {
        channels.computeIfPresent(userId, (id, set) -> {
            set.remove(channel);
            return set.isEmpty() ? null : set;
        });
    }

    Set<Channel> channelsOf(String userId) {
        return channels.getOrDefault(userId, Set.of());
    }
}
