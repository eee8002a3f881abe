package dev.switchboard.bench.proc;

import java.nio.file.Files;
import java.nio.file.Path;

/** The JDK tools ({@code jcmd}, {@code jstat}) next to the java running the bench, so versions match. */
final class JdkTool {

    private JdkTool() {
    }

    static String path(String tool) {
        Path candidate = Path.of(System.getProperty("java.home"), "bin", tool);
        return Files.isExecutable(candidate) ? candidate.toString() : tool;
    }
}
