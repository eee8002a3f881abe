package dev.switchboard.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP load balancer in front of a changing list of nodes, as one stands in front of a cluster:
 * each new connection goes to the next node in turn that accepts it; a node that refuses is
 * skipped. Bytes are pumped both ways until either side closes. {@link #route} changes the list
 * for new connections, as a rolling restart does.
 */
public final class Balancer implements AutoCloseable {
    private final ServerSocket listener;
    private final AtomicInteger turn = new AtomicInteger();
    private volatile List<Integer> ports;
    private volatile boolean closed;

    public Balancer(List<Integer> ports) throws IOException {
        this.ports = List.copyOf(ports);
        this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop, "balancer-accept");
    }

    /** {@code ws://127.0.0.1:<port>/} */
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    /** The nodes new connections go to from now on. */
    public void route(List<Integer> nodes) {
        ports = List.copyOf(nodes);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Socket server = connect();
            if (server == null) {
                quietly(client);
                continue;
            }
            daemon(() -> pump(client, server), "balancer-up");
            daemon(() -> pump(server, client), "balancer-down");
        }
    }

    private Socket connect() {
        List<Integer> nodes = ports;
        for (int i = 0; i < nodes.size(); i++) {
            int port = nodes.get(Math.floorMod(turn.getAndIncrement(), nodes.size()));
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException e) {
                quietly(socket);
            }
        }
        return null;
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        }
        quietly(from);
        quietly(to);
    }

    private static void quietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
