package dev.switchboard.app;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live-transcript app's logic ({@code static/app/transcript.js}: segments, ordering, interim
 * lines) under Node's test runner: {@code app/src/test/js}. Fails — it does not skip — when
 * {@code node} is not on the PATH.
 */
class TranscriptJsTest {
    private static final Path JS_TESTS = Path.of("src", "test", "js");

    @Test
    void theTranscriptLogicPassesItsNodeTests() throws Exception {
        Process node = new ProcessBuilder("node", "--test").directory(JS_TESTS.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node --test finished in time").isTrue();
        assertThat(node.exitValue()).as("exit code of node --test in %s (its output is above)",
                JS_TESTS.toAbsolutePath() + File.separator).isZero();
    }
}
