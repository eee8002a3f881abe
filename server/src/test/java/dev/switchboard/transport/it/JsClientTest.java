package dev.switchboard.transport.it;

import dev.switchboard.auth.TestTokens;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the JavaScript client's tests ({@code src/test/js}, Node's test runner) against two real
 * servers started here: a dev-mode one and a token-mode (HS256) one, with a token signed for them.
 * Node's output goes to the test log; the test passes when {@code node --test} exits with 0.
 *
 * <p>Without Node on the PATH this test fails rather than skips: CI installs Node (.ci/run), and a
 * silently skipped client suite would look like a passing one. {@code npm ci} runs here when the
 * dependencies are missing.
 */
class JsClientTest {
    private static final Path JS_TESTS =
            Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src", "test", "js");
    private static final int MIN_NODE_MAJOR = 18;
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(2);
    private static final String TOKEN_USER = "js-token-user";

    @Test
    void javascript_client_tests_pass_against_real_servers() throws Exception {
        int nodeMajor = requireNode();
        installDependencies();
        ServerConfig dev = TestServers.bulkConfig();
        ServerConfig token = dev.toBuilder().jwtSecret(TestTokens.SECRET).build();
        try (SwitchboardServer devServer = SwitchboardServer.start(dev);
             SwitchboardServer tokenServer = SwitchboardServer.start(token)) {
            String jwt = TestTokens.hs256(TestTokens.claims(TOKEN_USER, Instant.now()).build());
            Map<String, String> env = Map.of(
                    "SWITCHBOARD_URL", "ws://127.0.0.1:" + devServer.port() + "/",
                    "SWITCHBOARD_TOKEN_URL", "ws://127.0.0.1:" + tokenServer.port() + "/",
                    "SWITCHBOARD_TOKEN", jwt,
                    "SWITCHBOARD_TOKEN_USER", TOKEN_USER,
                    "SWITCHBOARD_TOKEN_SECRET", TestTokens.SECRET);

            // The spec reporter reads better in a log; Node 18 (Debian 12's) has only TAP.
            List<String> command = nodeMajor >= 20 ? List.of("node", "--test", "--test-reporter=spec")
                    : List.of("node", "--test");
            int exit = run(command, env, NODE_TIMEOUT);

            assertThat(exit).as("exit code of node --test in %s (its output is in the log above)", JS_TESTS)
                    .isZero();
        }
    }

    /** Fails unless Node 18+ is on the PATH; returns its major version. */
    private static int requireNode() throws InterruptedException {
        String version;
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            node.waitFor();
        } catch (IOException e) {
            throw new AssertionError("Node.js is not on the PATH, so the JavaScript client (" + JS_TESTS
                    + ") cannot be tested. Install Node " + MIN_NODE_MAJOR + "+ and npm (on Debian/Ubuntu: "
                    + "apt-get install nodejs npm; .ci/run does this in CI).", e);
        }
        Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(version);
        if (!major.find() || Integer.parseInt(major.group(1)) < MIN_NODE_MAJOR) {
            fail("the JavaScript client's tests need Node %d+ (node:test); `node --version` says %s",
                    MIN_NODE_MAJOR, version);
        }
        return Integer.parseInt(major.group(1));
    }

    private static void installDependencies() throws IOException, InterruptedException {
        if (Files.isDirectory(JS_TESTS.resolve("node_modules/ws"))) {
            return;
        }
        int exit;
        try {
            exit = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), NPM_TIMEOUT);
        } catch (IOException e) {
            throw new AssertionError("npm is not on the PATH: it installs the tests' one dependency (ws). "
                    + "Install npm, or run npm ci in " + JS_TESTS + " yourself.", e);
        }
        assertThat(exit).as("exit code of npm ci in %s", JS_TESTS).isZero();
    }

    /** Runs a command in the JS test directory, copying its output into the test log line by line. */
    private static int run(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(JS_TESTS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        String tag = "[" + command.get(0) + "] ";
        System.out.println(tag + "$ " + String.join(" ", command) + "   (in " + JS_TESTS + ")");
        Process process = builder.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println(tag + line);
                }
            } catch (IOException e) {
                System.out.println(tag + "(output ended: " + e + ")");
            }
        }, "js-output");
        pump.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            pump.join(TimeUnit.SECONDS.toMillis(5));
            fail("%s did not finish within %s; killed it", String.join(" ", command), timeout);
        }
        pump.join();
        return process.exitValue();
    }
}
