package dev.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy for breaking connections on purpose, between a client under test and a real server:
 * it accepts, connects upstream, and pumps bytes both ways — until told to cut every connection
 * abruptly (a TCP reset, as when a phone changes networks), to freeze them (bytes stop, sockets
 * stay open: a half-open connection), or to refuse new ones.
 */
public final class ChaosProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger cut = new AtomicInteger();
    private final AtomicLong clientBytes = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("proxy-cutter"));
    private volatile boolean refusing;
    private volatile boolean refusingUpgrades;
    private final AtomicInteger refusedUpgrades = new AtomicInteger();
    private static final java.util.regex.Pattern UPGRADE =
            java.util.regex.Pattern.compile("(?im)^upgrade:\\s*websocket");
    private volatile long upstreamDelayNanos;
    private volatile ScheduledFuture<?> cutting;
    private volatile boolean closed;

    private ChaosProxy(ServerSocket listener, InetSocketAddress upstream) {
        this.listener = listener;
        this.upstream = upstream;
        Thread acceptor = daemon("proxy-accept").newThread(this::acceptLoop);
        acceptor.start();
    }

    /** A proxy on a free loopback port in front of {@code 127.0.0.1:upstreamPort}. */
    public static ChaosProxy start(int upstreamPort) throws IOException {
        ServerSocket listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        return new ChaosProxy(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code ws://127.0.0.1:<proxy port>/} */
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port() + "/");
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections cut so far. */
    public int cut() {
        return cut.get();
    }

    /** Bytes read from clients so far, forwarded or (while frozen) held. */
    public long clientBytes() {
        return clientBytes.get();
    }

    /** Resets every current connection, both sides. */
    public int cutAll() {
        int count = 0;
        for (Link link : links) {
            if (link.kill()) {
                count++;
            }
        }
        cut.addAndGet(count);
        return count;
    }

    /** Calls {@link #cutAll()} every {@code period} until {@link #stopCutting()}. */
    public void cutEvery(Duration period) {
        cutting = timer.scheduleAtFixedRate(this::cutAll, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    public void stopCutting() {
        ScheduledFuture<?> task = cutting;
        if (task != null) {
            task.cancel(false);
        }
    }

    /** A direction of travel through the proxy. */
    public enum Direction {
        /** Client to server. */
        UP,
        /** Server to client. */
        DOWN
    }

    /**
     * Every current connection silently discards what travels {@code direction} from now on (the
     * sockets stay open and nobody is told), as a phone walking out of Wi-Fi loses what is in flight.
     * Once a direction drops bytes it never forwards again: no frame arrives with a hole in it.
     */
    public void blackHole(Direction direction) {
        links.forEach(link -> {
            if (direction == Direction.UP) {
                link.dropUp = true;
            } else {
                link.dropDown = true;
            }
        });
    }

    /**
     * Every {@code period}: black-holes one direction of every current connection (alternating,
     * upstream first), then {@code hole} later cuts them. Until {@link #stopCutting()}.
     */
    public void flap(Duration period, Duration hole) {
        AtomicInteger round = new AtomicInteger();
        cutting = timer.scheduleAtFixedRate(() -> {
            blackHole(round.getAndIncrement() % 2 == 0 ? Direction.UP : Direction.DOWN);
            timer.schedule(this::cutAll, hole.toNanos(), TimeUnit.NANOSECONDS);
        }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops moving bytes on every current connection, leaving the sockets open; new ones work. */
    public void freezeAll() {
        links.forEach(link -> link.frozen = true);
    }

    /**
     * Holds every chunk of bytes going upstream (client to server) for {@code delay} before
     * passing it on: a slow link. Zero turns it off.
     */
    public void delayUpstream(Duration delay) {
        upstreamDelayNanos = delay.toNanos();
    }

    /** Accepts and at once closes new connections (while {@code true}), as a dead backend would. */
    public void refuseNew(boolean value) {
        refusing = value;
    }

    /**
     * Like a corporate proxy that strips WebSocket: a request asking for a WebSocket upgrade is
     * answered 403 and its connection closed; every other request passes.
     */
    public void refuseWebSocketUpgrades(boolean value) {
        refusingUpgrades = value;
    }

    /** How many WebSocket upgrades were refused ({@link #refuseWebSocketUpgrades}). */
    public int refusedUpgrades() {
        return refusedUpgrades.get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        stopCutting();
        timer.shutdownNow();
        listener.close();
        cutAll();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (refusing) {
                Link.reset(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(upstream, 5_000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                Link.reset(client);
            }
        }
    }

    /** One proxied connection: two sockets and a pump thread each way. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final AtomicInteger alive = new AtomicInteger(1);
        volatile boolean frozen;
        volatile boolean dropUp;
        volatile boolean dropDown;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            daemon("proxy-up").newThread(() -> pump(client, server, clientBytes, true)).start();
            daemon("proxy-down").newThread(() -> pump(server, client, new AtomicLong(), false))
                    .start();
        }

        private void pump(Socket from, Socket to, AtomicLong counter, boolean upstream) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                boolean first = true;
                while ((n = in.read(buffer)) >= 0) {
                    counter.addAndGet(n);
                    if (upstream && first && refusingUpgrades && UPGRADE.matcher(
                            new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)).find()) {
                        refusedUpgrades.incrementAndGet();
                        from.getOutputStream().write(("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                                + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        from.getOutputStream().flush();
                        break;
                    }
                    first = false;
                    while (frozen && alive.get() == 1) {
                        Thread.sleep(5); // hold the bytes: neither side learns anything
                    }
                    long delay = upstream ? upstreamDelayNanos : 0;
                    if (delay > 0) {
                        TimeUnit.NANOSECONDS.sleep(delay);
                    }
                    if (alive.get() == 0) {
                        break; // cut while holding them: they must never arrive
                    }
                    if (upstream ? dropUp : dropDown) {
                        continue; // black-holed: gone without a trace
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // cut, or the peer went away
            }
            kill();
        }

        boolean kill() {
            if (!alive.compareAndSet(1, 0)) {
                return false;
            }
            links.remove(this);
            reset(client);
            reset(server);
            return true;
        }

        /** Closes with a TCP reset rather than a FIN: the abrupt end of a dropped network. */
        static void reset(Socket socket) {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // closed already
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
