package dev.switchboard.transport.it;

import dev.switchboard.testing.CloseStatus;
import dev.switchboard.testing.JdkWebSocketClient;
import dev.switchboard.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules 7 and 8 against the real program: {@code dev.switchboard.server.Main} in its own JVM.
 * SIGTERM closes clients with 1001 and the process exits within the shutdown timeout; a bad flag
 * value stops it at once with a non-zero exit and a message a person can act on.
 */
class MainProcessTest {
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final List<ServerProcess> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (ServerProcess process : processes) {
            process.close();
        }
    }

    private ServerProcess startMain(String... args) throws IOException {
        ServerProcess process = ServerProcess.start(args);
        processes.add(process);
        return process;
    }

    @Test
    void sigterm_closes_clients_with_1001_and_the_process_exits() throws Exception {
        ServerProcess server = startMain("--host", "127.0.0.1", "--port", "0",
                "--shutdown-timeout", SHUTDOWN_TIMEOUT.toSeconds() + "s");
        int port = server.awaitPort();
        Process process = server.process();
        JdkWebSocketClient bob = JdkWebSocketClient.connect(port, "bob");
        JdkWebSocketClient noOrigin = JdkWebSocketClient.connect(port, null);
        noOrigin.send("{\"userId\":\"bob\",\"message\":\"before SIGTERM\"}");
        assertThat(noOrigin.next()).isEqualTo("{\"userId\":\"bob\",\"delivered\":1}");
        assertThat(bob.next()).isEqualTo("before SIGTERM");

        process.destroy(); // SIGTERM on Linux and macOS

        assertThat(bob.awaitClose()).isEqualTo(new CloseStatus(1001, "going away"));
        assertThat(noOrigin.awaitClose()).isEqualTo(new CloseStatus(1001, "going away"));
        assertThat(process.waitFor(SHUTDOWN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS))
                .as("the process exits within the shutdown timeout; output so far: %s", server.transcript())
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
        ServerProcess server = startMain("--host", "127.0.0.1", flag, value);
        Process process = server.process();

        assertThat(process.waitFor(ServerProcess.STARTUP.toSeconds(), TimeUnit.SECONDS)).as("exits by itself").isTrue();
        assertThat(process.exitValue()).isNotZero();
        String text = server.finalTranscript();
        assertThat(text).as("names the flag and says what is wrong").contains(flag.replaceFirst("^--", "")).contains(explains);
        assertThat(text).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(text).as("did not start").doesNotContain("listening on");
    }
}
