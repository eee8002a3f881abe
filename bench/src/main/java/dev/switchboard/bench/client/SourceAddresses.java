package dev.switchboard.bench.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out local addresses 127.0.0.1 … 127.0.0.N in turn. Every client socket binds one before it
 * connects, so the ~28,000 ephemeral ports of one address do not cap the number of connections (or
 * the connect/close churn, whose TIME_WAIT sockets hold their ports for a minute).
 */
public final class SourceAddresses {

    private final List<InetSocketAddress> addresses;
    private final AtomicInteger next = new AtomicInteger();

    private SourceAddresses(List<InetSocketAddress> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /** {@code count} loopback addresses; 0 lets the kernel pick the source (no bind). */
    public static SourceAddresses loopback(int count) {
        if (count < 0 || count > 254) {
            throw new IllegalArgumentException("source address count must be 0..254, got " + count);
        }
        List<InetSocketAddress> list = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            try {
                InetAddress ip = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i});
                list.add(new InetSocketAddress(ip, 0));
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return new SourceAddresses(list);
    }

    /** The next address to bind, or null when the kernel should choose. */
    public InetSocketAddress next() {
        if (addresses.isEmpty()) {
            return null;
        }
        return addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
    }

    public int size() {
        return addresses.size();
    }
}
