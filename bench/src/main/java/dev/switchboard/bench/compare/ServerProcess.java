package dev.switchboard.bench.compare;

import dev.switchboard.bench.proc.ListeningProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A server under test running as a child process: started, waited for until its port accepts
 * connections, and stopped with its whole process tree (a launcher script may have forked the JVM).
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ServerSpec spec;
    private final Process process;
    private final int port;
    private final long pid;

    private ServerProcess(ServerSpec spec, Process process, int port, long pid) {
        this.spec = spec;
        this.process = process;
        this.port = port;
        this.pid = pid;
    }

    /**
     * Starts the server and returns once its port accepts TCP connections. The launcher may build
     * first, hence the generous {@code startTimeout}.
     */
    static ServerProcess start(ServerSpec spec, int port, Path log, Duration startTimeout)
            throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(spec.command())
                .directory(spec.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(spec.env());
        Process process = builder.start();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!accepts(port)) {
            if (!process.isAlive()) {
                throw new IOException(spec.name() + " exited with " + process.exitValue() + " before listening; see " + log);
            }
            if (System.nanoTime() > deadline) {
                stopTree(process);
                throw new IOException(spec.name() + " did not listen on port " + port + " within " + startTimeout + "; see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        long pid = ListeningProcess.pidOf(port).orElse(process.pid());
        return new ServerProcess(spec, process, port, pid);
    }

    /** A port nothing listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** The process that owns the listening socket: the server itself, not its launcher. */
    long pid() {
        return pid;
    }

    ServerSpec spec() {
        return spec;
    }

    @Override
    public void close() {
        try {
            stopTree(process);
        } catch (InterruptedException e) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean accepts(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** SIGTERM to the tree, children first; SIGKILL for whatever is still alive after the grace period. */
    private static void stopTree(Process process) throws InterruptedException {
        ProcessHandle root = process.toHandle();
        java.util.List<ProcessHandle> tree = new java.util.ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            try {
                h.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException stuck) {
                h.destroyForcibly();
            }
        }
        process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
    }
}
