package dev.switchboard.bench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "switchboard-bench", mixinStandardHelpOptions = true, version = "switchboard-bench 0.1.0",
        description = "Load generator and comparison harness for Switchboard (and the baselines: relay, seed, socketio).",
        subcommands = {TargetedCommand.class, LatencyCommand.class, IdleCommand.class, ConnectCommand.class, FloodCommand.class,
                RelayCommand.class, CompareCommand.class, ReportCommand.class, ClusterReportCommand.class,
                HelpCommand.class})
public final class Commands implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
