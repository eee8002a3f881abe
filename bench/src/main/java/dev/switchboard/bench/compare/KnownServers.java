package dev.switchboard.bench.compare;

import dev.switchboard.bench.client.PlainWire;
import dev.switchboard.bench.client.SocketIoWire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The four servers the comparison knows, in report order: Switchboard itself, the minimal Netty relay,
 * the seed tutorial's Node server and Socket.IO with a room per user.
 */
public final class KnownServers {

    public static final List<String> NAMES = List.of("switchboard", "relay", "seed", "socketio");
    private static final String LOOPBACK = "127.0.0.1";
    /** The JVM flags bin/switchboard uses, so the two Java servers differ only in their code. */
    private static final List<String> RELAY_JVM_FLAGS = List.of(
            "-XX:+UseParallelGC", "-Xms64m", "-XX:MaxRAMPercentage=50", "-Xss512k",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private final Path repo;
    private final Path benchJar;

    /**
     * @param repo the repository root (bin/, server/, bench/)
     * @param benchJar the shaded bench jar, which also contains the relay
     */
    public KnownServers(Path repo, Path benchJar) {
        this.repo = repo;
        this.benchJar = benchJar;
    }

    /** The server called {@code name} on {@code port}; throws when it cannot be started here. */
    public ServerSpec spec(String name, int port) {
        String p = Integer.toString(port);
        switch (name) {
            case "switchboard":
                return switchboard(p);
            case "relay":
                List<String> relay = new ArrayList<>();
                relay.add(javaExecutable());
                relay.addAll(RELAY_JVM_FLAGS);
                relay.addAll(List.of("-cp", benchJar.toString(), "dev.switchboard.bench.BenchMain",
                        "relay", "--host", LOOPBACK, "--port", p));
                return new ServerSpec(name, "minimal Netty relay (bench module)", PlainWire.INSTANCE, relay, repo, Map.of());
            case "seed":
                return node(name, "the seed tutorial's Node ws server", "seed", port, PlainWire.INSTANCE);
            case "socketio":
                return node(name, "Socket.IO, one room per user", "socketio", port, SocketIoWire.INSTANCE);
            default:
                throw new IllegalArgumentException("unknown server " + name + "; known: " + NAMES);
        }
    }

    /**
     * Switchboard's per-connection rate limit (100 messages/s by default) would measure the limit,
     * not the server; the baselines have none. {@code BENCH_SWITCHBOARD_ARGS} replaces these.
     */
    static final String DEFAULT_SWITCHBOARD_ARGS = "--max-messages-per-second 0";

    private ServerSpec switchboard(String port) {
        Path launcher = repo.resolve("bin/switchboard");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(launcher)) {
            command.add(launcher.toString());
        } else {
            Path jar = repo.resolve("dist/target/switchboard-0.1.0-SNAPSHOT-all.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("neither bin/switchboard nor " + jar + " exists; build the server first");
            }
            command.addAll(List.of(javaExecutable(), "-jar", jar.toString()));
        }
        command.addAll(List.of("--port", port, "--host", LOOPBACK));
        String extra = System.getenv().getOrDefault("BENCH_SWITCHBOARD_ARGS", DEFAULT_SWITCHBOARD_ARGS).trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        return new ServerSpec("switchboard", "Switchboard (bin/switchboard)", PlainWire.INSTANCE, command, repo, Map.of());
    }

    private ServerSpec node(String name, String description, String dir, int port, dev.switchboard.bench.client.WireProtocol wire) {
        Path base = repo.resolve("bench/baselines").resolve(dir);
        if (!Files.isDirectory(base.resolve("node_modules"))) {
            throw new IllegalStateException(base + "/node_modules is missing: run npm ci there (bench/compare does)");
        }
        return new ServerSpec(name, description, wire, List.of("node", "index.js"), base,
                Map.of("PORT", Integer.toString(port), "HOST", LOOPBACK));
    }

    /** The java running the bench, so the relay runs on the same JDK. */
    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
