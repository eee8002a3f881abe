package dev.switchboard.bench.load;

import dev.switchboard.bench.client.ClientSession;
import dev.switchboard.bench.client.ConnectionOpener;
import dev.switchboard.bench.client.FrameListener;
import dev.switchboard.bench.client.NettyTransport;
import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.client.WsConnector;
import dev.switchboard.bench.proc.ListeningProcess;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The load generator's side of one run: its event loops, the connections it opened, and closing
 * all of them at the end, whatever happened in between.
 */
final class LoadClient implements AutoCloseable {

    private static final long CLOSE_WAIT_SECONDS = 10;

    private final ServerTarget target;
    private final ClientSettings settings;
    private final PrintStream out;
    private final EventLoopGroup group;
    private final WsConnector connector;
    private final WsConnector senderConnector;
    private final ConcurrentLinkedQueue<ClientSession> sessions = new ConcurrentLinkedQueue<>();

    LoadClient(ServerTarget target, ClientSettings settings, PrintStream out) {
        this.target = target;
        this.settings = settings;
        this.out = out;
        this.group = NettyTransport.newGroup(settings.threads());
        this.connector = new WsConnector(group, target);
        this.senderConnector = target.splitsSenders() ? new WsConnector(group, target.forSenders()) : connector;
        out.printf("target %s, load generator: %d %s thread(s), %d source address(es)%n",
                target.describe(), settings.threads(), NettyTransport.name(), target.sources().size());
    }

    WsConnector connector() {
        return connector;
    }

    /** The server's pid as configured, or found by its listening port; -1 when unknown. */
    long serverPid() {
        if (settings.serverPid() != 0) {
            return settings.serverPid();
        }
        return ListeningProcess.pidOf(target.port()).orElse(-1);
    }

    /** Opens {@code count} receiving connections, session i registered as {@code userIdOf(i)}. */
    ConnectionOpener.Opened openMany(String label, int count, IntFunction<String> userIdOf, FrameListener listener)
            throws InterruptedException {
        ConnectionOpener opener = new ConnectionOpener(connector, settings.connectConcurrency(),
                settings.connectDeadline(), out);
        ConnectionOpener.Opened opened = opener.open(label, count, userIdOf, i -> listener);
        sessions.addAll(opened.sessions());
        return opened;
    }

    /**
     * Opens {@code devices} receiving connections per user, recording deliveries into {@code stats};
     * fails if none of them could connect.
     */
    ConnectionOpener.Opened openReceivers(String[] users, int devices, LoadStats stats) throws InterruptedException {
        ConnectionOpener.Opened receivers = openMany("receivers", users.length * devices,
                k -> users[k % users.length], new DeliveryRecorder(stats));
        if (receivers.sessions().isEmpty()) {
            throw new IllegalStateException("no receiver could connect", receivers.firstFailure());
        }
        return receivers;
    }

    /** Opens one send-only connection per listener, in order; fails if any of them fails. */
    List<ClientSession> openSenders(List<? extends FrameListener> listeners) throws InterruptedException {
        List<Future<ClientSession>> pending = new ArrayList<>();
        for (FrameListener listener : listeners) {
            pending.add(senderConnector.connect(null, listener));
        }
        List<ClientSession> senders = new ArrayList<>();
        for (Future<ClientSession> f : pending) {
            if (!f.await(target.handshakeTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS) || !f.isSuccess()) {
                throw new IllegalStateException("a sender could not connect to " + target.forSenders().describe(), f.cause());
            }
            senders.add(f.getNow());
            sessions.add(f.getNow());
        }
        return senders;
    }

    /** Closes every connection this client opened and waits (bounded) for the closes to finish. */
    void closeAll() throws InterruptedException {
        List<ChannelFuture> closing = new ArrayList<>();
        ClientSession s;
        while ((s = sessions.poll()) != null) {
            closing.add(s.close());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
        for (ChannelFuture f : closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !f.await(left, TimeUnit.NANOSECONDS)) {
                break;
            }
        }
    }

    /** Never throws InterruptedException, so try-with-resources cleans up even when interrupted. */
    @Override
    public void close() {
        try {
            closeAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
