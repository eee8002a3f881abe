package dev.switchboard.transport.it;

import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules 7 and 8 against the real program: {@code dev.switchboard.server.Main} in its own JVM.
 * SIGTERM closes clients with 1001 and the process exits within the shutdown timeout; a bad flag
 * value stops it at once with a non-zero exit and a message a person can act on.
 */
class MainProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)/");
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts Main with the test JVM's class path; stdout and stderr are merged into {@code output}. */
    private Process startMain(BlockingQueue<String> output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                "dev.switchboard.server.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("<output read failed: " + e + ">");
            }
        }, "main-process-output");
        pump.setDaemon(true);
        pump.start();
        return process;
    }

    @Test
    void sigterm_closes_clients_with_1001_and_the_process_exits() throws Exception {
        BlockingQueue<String> output = new LinkedBlockingQueue<>();
        Process process = startMain(output, "--host", "127.0.0.1", "--port", "0",
                "--shutdown-timeout", SHUTDOWN_TIMEOUT.toSeconds() + "s");
        int port = awaitPort(process, output);
        JdkWebSocketClient bob = JdkWebSocketClient.connect(port, "bob");
        JdkWebSocketClient noOrigin = JdkWebSocketClient.connect(port, null);
        noOrigin.send("{\"userId\":\"bob\",\"message\":\"before SIGTERM\"}");
        assertThat(noOrigin.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("before SIGTERM");

        process.destroy(); // SIGTERM on Linux and macOS

        assertThat(bob.awaitClose()).isEqualTo(new CloseStatus(1001, "going away"));
        assertThat(noOrigin.awaitClose()).isEqualTo(new CloseStatus(1001, "going away"));
        assertThat(process.waitFor(SHUTDOWN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS))
                .as("the process exits within the shutdown timeout; output so far: %s", output)
                .isTrue();
    }

    /** Values the flag's parser rejects, and values the configuration rejects. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--max-message-bytes, lots,  lots",
            "--idle-timeout,      soon,  soon",
            "--port,              70000, 70000",
            "--ping-interval,     0s,    must be positive",
    })
    void a_bad_flag_value_stops_the_program_with_a_readable_message(String flag, String value, String explains)
            throws Exception {
        BlockingQueue<String> output = new LinkedBlockingQueue<>();
        Process process = startMain(output, "--host", "127.0.0.1", flag, value);

        assertThat(process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).as("exits by itself").isTrue();
        assertThat(process.exitValue()).isNotZero();
        // Let the pump read the last lines: the stream ends when the process has exited.
        process.getInputStream().close();
        String text = String.join("\n", output);
        assertThat(text).as("names the flag and says what is wrong").contains(flag.replaceFirst("^--", "")).contains(explains);
        assertThat(text).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(text).as("did not start").doesNotContain("listening on");
    }

    private static int awaitPort(Process process, BlockingQueue<String> output) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        List<String> seen = new ArrayList<>();
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
}
