package dev.switchboard.bench.compare;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.ConnectScenario;
import dev.switchboard.bench.load.IdleScenario;
import dev.switchboard.bench.load.LatencyScenario;
import dev.switchboard.bench.load.ScenarioResult;
import dev.switchboard.bench.load.TargetedScenario;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The scenarios {@code compare} runs against every server, with the sizes the project's goals name
 * (issue 3). Only the timing varies: a full run, or {@code --quick}.
 */
public final class ComparePlan {

    public static final String TARGETED_1 = "targeted-1dev";
    public static final String TARGETED_4 = "targeted-4dev";
    public static final String LATENCY = "latency";
    public static final String IDLE = "idle";
    public static final String CONNECT = "connect";
    public static final List<String> NAMES = List.of(TARGETED_1, TARGETED_4, LATENCY, IDLE, CONNECT);

    /** Warmup and measured time per scenario; {@code idleHold} is how long idle connections are held. */
    public record Timing(Duration warmup, Duration duration, Duration idleHold) {

        /** About 2 minutes per server: ~10 minutes for all four. */
        public static Timing full() {
            return new Timing(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(10));
        }

        public static Timing quick() {
            return new Timing(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(3));
        }
    }

    private ComparePlan() {
    }

    public static String title(String scenario) {
        return switch (scenario) {
            case TARGETED_1 -> "targeted, 10,000 users x 1 device, 20 senders, window 16, 64-byte messages";
            case TARGETED_4 -> "targeted, 2,500 users x 4 devices, 20 senders, window 16, 64-byte messages";
            case LATENCY -> "latency, 5,000 messages/s open loop to 1,000 users";
            case IDLE -> "idle, 15,000 connections";
            case CONNECT -> "connect, 32 concurrent connect/close loops";
            default -> scenario;
        };
    }

    public static ScenarioResult run(String scenario, ServerTarget target, ClientSettings settings, Timing t,
                                     PrintStream out) throws InterruptedException {
        ScenarioResult result = switch (scenario) {
            case TARGETED_1 -> TargetedScenario.run(target, settings,
                    new TargetedScenario.Options(10_000, 1, 20, 16, 64, t.warmup(), t.duration()), out);
            case TARGETED_4 -> TargetedScenario.run(target, settings,
                    new TargetedScenario.Options(2_500, 4, 20, 16, 64, t.warmup(), t.duration()), out);
            case LATENCY -> LatencyScenario.run(target, settings,
                    new LatencyScenario.Options(1_000, 1, 10, 5_000, 64, t.warmup(), t.duration()), out);
            case IDLE -> IdleScenario.run(target, settings, new IdleScenario.Options(15_000, t.idleHold(), 500), out);
            case CONNECT -> ConnectScenario.run(target, settings,
                    new ConnectScenario.Options(32, t.warmup(), t.duration()), out);
            default -> throw new IllegalArgumentException("unknown scenario " + scenario + "; known: " + NAMES);
        };
        return result.withScenario(scenario);
    }
}
