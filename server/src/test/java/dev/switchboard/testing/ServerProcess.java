package dev.switchboard.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dev.switchboard.server.Main} in its own JVM, with the test JVM's class path: the real
 * program, for what only a process can show (signals, exit codes, a node killed outright).
 * Its stdout and stderr are merged into {@link #output()}.
 */
public final class ServerProcess implements AutoCloseable {
    public static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("listening on wss?://[^:]+:(\\d+)/");

    private final Process process;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private Thread pump;

    private ServerProcess(Process process) {
        this.process = process;
    }

    /** Starts Main with {@code args}; does not wait for it to listen ({@link #awaitPort()}). */
    public static ServerProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                "dev.switchboard.server.Main"));
        command.addAll(List.of(args));
        ServerProcess server = new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(server.process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    server.output.add(line);
                }
            } catch (IOException e) {
                server.output.add("<output read failed: " + e + ">");
            }
        }, "server-process-output");
        pump.setDaemon(true);
        pump.start();
        server.pump = pump;
        return server;
    }

    /** Waits for the "listening on" line and returns its port. */
    public int awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            String line = output.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!process.isAlive()) {
                    throw new AssertionError("the server exited with " + process.exitValue() + ": " + seen);
                }
                continue;
            }
            seen.add(line);
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("no 'listening on' line within " + STARTUP + ": " + seen);
    }

    public Process process() {
        return process;
    }

    /** Lines printed so far and not yet consumed by {@link #awaitPort()}. */
    public BlockingQueue<String> output() {
        return output;
    }

    /** Everything printed so far, for failure messages. */
    public String transcript() {
        List<String> all = new ArrayList<>(seen);
        all.addAll(output);
        return String.join("\n", all);
    }

    /** Everything the process printed, once it has exited and its output has been read to the end. */
    public String finalTranscript() throws InterruptedException {
        pump.join(TimeUnit.SECONDS.toMillis(10));
        return transcript();
    }

    /** SIGKILL: the process ends at once, without any shutdown. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
