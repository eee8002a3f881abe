package dev.switchboard.testing;

import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis server for tests, in its own process: {@code redis-server} from the PATH when there
 * is one, else the binary inside the {@code embedded-redis} jar. It can be killed (SIGKILL) and
 * started again on the same port and data directory, to test what a cluster does when Redis dies.
 */
public final class RedisProcess implements AutoCloseable {
    private final Path binary;
    private final Path dir;
    private final int port;
    private final boolean durable;
    private final List<String> extraArgs;
    private Process process;

    private RedisProcess(Path binary, Path dir, int port, boolean durable, List<String> extraArgs) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.durable = durable;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a Redis that keeps nothing on disk. */
    public static RedisProcess start() throws IOException {
        return start(false);
    }

    /**
     * Starts a Redis on a free port.
     *
     * @param durable append-only file fsynced on every write, so a SIGKILL loses nothing acknowledged
     */
    public static RedisProcess start(boolean durable) throws IOException {
        RedisProcess redis = new RedisProcess(binary(), Files.createTempDirectory("switchboard-redis"), freePort(), durable,
                List.of());
        redis.startProcess();
        return redis;
    }

    /**
     * Starts a Redis Cluster node on a free port, its cluster bus on another ({@code cluster-port},
     * Redis 7), not yet part of any cluster: {@link RedisClusterProcess} joins them.
     *
     * @param nodeTimeoutMillis {@code cluster-node-timeout}: how long before a silent node counts as failed
     */
    public static RedisProcess startClusterNode(long nodeTimeoutMillis) throws IOException {
        RedisProcess redis = new RedisProcess(binary(), Files.createTempDirectory("switchboard-redis"), freePort(), false,
                List.of("--cluster-enabled", "yes", "--cluster-port", Integer.toString(freePort()),
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", Long.toString(nodeTimeoutMillis),
                        "--cluster-replica-validity-factor", "0", "--appendonly", "no"));
        redis.startProcess();
        return redis;
    }

    /** A Redis with its port and directory chosen but not started yet: start it with {@link #restart()}. */
    public static RedisProcess reserve() throws IOException {
        return new RedisProcess(binary(), Files.createTempDirectory("switchboard-redis"), freePort(), false, List.of());
    }

    /** Kills the server (SIGKILL) and waits for it to be gone. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Starts the server again on the same port and data directory. */
    public void restart() throws IOException, InterruptedException {
        kill();
        startProcess();
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Runs one command and returns Redis's raw reply (RESP), for assertions that bypass the code under test. */
    public String command(String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws Exception {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private void startProcess() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--daemonize", "no",
                "--loglevel", "warning"));
        if (durable) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        }
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                if (command("PING").startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
    }

    /** The {@code redis-server} these tests run. */
    static Path binary() throws IOException {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                Path candidate = Path.of(entry, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        File bundled = ExecutableProvider.newJarResourceProvider().get();
        bundled.setExecutable(true);
        return bundled.toPath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
