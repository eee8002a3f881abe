package dev.switchboard.bench;

import dev.switchboard.bench.cli.Commands;
import picocli.CommandLine;

/** Entry point of {@code bin/switchboard-bench}. */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        // XChart draws with AWT; there is no display on a bench box.
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Commands()).execute(args));
    }
}
