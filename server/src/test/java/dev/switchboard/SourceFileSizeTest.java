package dev.switchboard;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The house rules of docs/ARCHITECTURE.md: no main source file (Java, or the JavaScript the server
 * and the app serve) over 400 lines, in any module (split by responsibility, not by line count),
 * and at most 15 classes at the top of {@code transport}.
 */
class SourceFileSizeTest {
    private static final int MAX_LINES = 400;

    @Test
    void noMainSourceFileIsOver400Lines() throws IOException {
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        List<String> tooLong;
        try (Stream<Path> modules = Files.list(root)) {
            tooLong = modules.map(module -> module.resolve("src/main")).filter(Files::isDirectory)
                    .flatMap(SourceFileSizeTest::sources)
                    .filter(file -> lines(file) > MAX_LINES)
                    .map(file -> root.relativize(file) + " (" + lines(file) + " lines)")
                    .toList();
        }
        assertThat(tooLong).as("main source files over %d lines", MAX_LINES).isEmpty();
    }

    /** Issue 14's layout: the pipeline, the session and the SPI at the top; each protocol below it. */
    @Test
    void theTransportPackageKeepsAtMost15ClassesAtItsTop() throws IOException {
        Path transport = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("src/main/java/dev/switchboard/transport");
        try (Stream<Path> files = Files.list(transport)) {
            assertThat(files.filter(f -> f.toString().endsWith(".java")).count()).isBetween(1L, 15L);
        }
    }

    @Test
    void theScanFindsTheModules() throws IOException {
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        try (Stream<Path> modules = Files.list(root)) {
            List<Path> files = modules.map(module -> module.resolve("src/main")).filter(Files::isDirectory)
                    .flatMap(SourceFileSizeTest::sources).toList();
            assertThat(files).anyMatch(f -> f.endsWith("ClientCore.java")).anyMatch(f -> f.endsWith("switchboard.js"))
                    .anyMatch(f -> f.endsWith("transcript.js"));
        }
    }

    private static Stream<Path> sources(Path dir) {
        try {
            return Files.walk(dir).filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".js")).toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
