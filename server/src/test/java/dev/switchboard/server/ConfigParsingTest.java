package dev.switchboard.server;

import dev.switchboard.core.Durations;
import dev.switchboard.core.RedisAddress;
import dev.switchboard.core.Sizes;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigParsingTest {
    @Test
    void durationsAcceptTheUsualForms() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("25s")).isEqualTo(Duration.ofSeconds(25));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("PT90S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("not a duration");
    }

    @Test
    void sizesAcceptBytesAndBinaryUnits() {
        assertThat(Sizes.parse("65536")).isEqualTo(65536);
        assertThat(Sizes.parse("64KiB")).isEqualTo(65536);
        assertThat(Sizes.parse("64k")).isEqualTo(65536);
        assertThat(Sizes.parse("1MiB")).isEqualTo(1 << 20);
        assertThat(Sizes.parse("2MB")).isEqualTo(2 << 20);
        assertThatThrownBy(() -> Sizes.parse("lots")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> Sizes.parse("0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sizes.parse("8GiB")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyFlagMapsToAnEnvironmentVariable() {
        assertThat(EnvironmentDefaults.variableFor("--max-message-bytes")).isEqualTo("SWITCHBOARD_MAX_MESSAGE_BYTES");
        assertThat(EnvironmentDefaults.variableFor("--port")).isEqualTo("SWITCHBOARD_PORT");
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        ServerConfig config = parse(Map.of());
        assertThat(config.transport().host()).isEqualTo("0.0.0.0");
        assertThat(config.transport().port()).isEqualTo(5201);
        assertThat(config.transport().maxMessageBytes()).isEqualTo(64 * 1024);
        assertThat(config.transport().maxOutboundBytes()).isEqualTo(1024 * 1024);
        assertThat(config.heartbeat().pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(config.heartbeat().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.heartbeat().maxConnectionAge()).as("off").isZero();
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void theEnvironmentSetsFlagsAndTheCommandLineWins() {
        Map<String, String> env = Map.of("SWITCHBOARD_PORT", "8080", "SWITCHBOARD_IDLE_TIMEOUT", "90s",
                "SWITCHBOARD_MAX_MESSAGE_BYTES", "1MiB");
        ServerConfig fromEnv = parse(env);
        assertThat(fromEnv.transport().port()).isEqualTo(8080);
        assertThat(fromEnv.heartbeat().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(fromEnv.transport().maxMessageBytes()).isEqualTo(1 << 20);

        assertThat(parse(env, "--port", "9090").transport().port()).isEqualTo(9090);
        assertThat(parse(env, "--max-connection-age", "30m").heartbeat().maxConnectionAge()).isEqualTo(Duration.ofMinutes(30));
        assertThat(parse(Map.of("SWITCHBOARD_MAX_CONNECTION_AGE", "2h")).heartbeat().maxConnectionAge())
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void badValuesAreRejectedWithAReadableMessage() {
        StringWriter err = new StringWriter();
        Main main = new Main();
        CommandLine cli = new CommandLine(main).setDefaultValueProvider(new EnvironmentDefaults(Map.of()));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("--idle-timeout", "forever");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--idle-timeout").contains("not a duration");
    }

    @Test
    void invalidCombinationsAreRejectedByTheConfig() {
        assertThatThrownBy(() -> ServerConfig.defaults().withPort(70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> ServerConfig.defaults().withHeartbeat(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("ping-interval");
    }

    @Test
    void theClusterFlagsComeFromTheCommandLineOrTheEnvironment() {
        assertThat(parse(Map.of()).cluster().redis()).as("alone, in memory, by default").isNull();
        assertThat(parse(Map.of()).cluster().ackTimeout()).isEqualTo(Duration.ofMillis(500));
        ServerConfig fromEnv = parse(Map.of("SWITCHBOARD_REDIS", "redis://10.0.0.5:6379",
                "SWITCHBOARD_CLUSTER_ACK_TIMEOUT", "2s"));
        assertThat(fromEnv.cluster().redis()).isEqualTo("redis://10.0.0.5:6379");
        assertThat(fromEnv.cluster().ackTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(parse(Map.of(), "--redis", "redis-sentinel://s1:26379,s2:26379/0#mymaster").cluster().redis())
                .startsWith("redis-sentinel://");
        assertThat(parse(Map.of(), "--redis", "redis://:secret@host:6379").toString()).doesNotContain("secret");
    }

    @Test
    void redisTakesOneRedisAListOfShardsOrARedisCluster() {
        RedisAddress one = parse(Map.of(), "--redis", "redis-sentinel://s1:26379,s2:26379/0#m").cluster().address();
        assertThat(one.kind()).as("a Sentinel URI's commas list Sentinels, not shards").isEqualTo(RedisAddress.Kind.SINGLE);

        RedisAddress shards = parse(Map.of(), "--redis",
                "redis://:pw@a:6379,rediss://b:6380/2,redis-sentinel://s1:26379,s2:26379/0#m").cluster().address();
        assertThat(shards.kind()).isEqualTo(RedisAddress.Kind.SHARDS);
        assertThat(shards.uris()).containsExactly("redis://:pw@a:6379", "rediss://b:6380/2",
                "redis-sentinel://s1:26379,s2:26379/0#m");
        assertThat(shards.home()).isEqualTo("redis://:pw@a:6379");

        ServerConfig cluster = parse(Map.of(), "--redis", "redis-cluster://user:secret@10.0.0.1:7000,10.0.0.2:7001");
        assertThat(cluster.cluster().address().kind()).isEqualTo(RedisAddress.Kind.CLUSTER);
        assertThat(cluster.cluster().address().uris())
                .containsExactly("redis://user:secret@10.0.0.1:7000", "redis://user:secret@10.0.0.2:7001");
        assertThat(cluster.toString()).doesNotContain("secret");
        assertThat(RedisAddress.parse("rediss-cluster://h:7000").uris()).containsExactly("rediss://h:7000");
    }

    @Test
    void aRedisUriOfAnotherKindIsRejected() {
        assertThatThrownBy(() -> parse(Map.of(), "--redis", "redis-cluster://host")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> parse(Map.of(), "--redis", "redis://a:1,http://b:2")).hasMessageContaining("--redis");
        assertThatThrownBy(() -> parse(Map.of(), "--redis", "http://host:6379")).hasMessageContaining("--redis");
        assertThatThrownBy(() -> parse(Map.of(), "--redis", "host:6379")).hasMessageContaining("redis://");
        assertThatThrownBy(() -> parse(Map.of(), "--cluster-ack-timeout", "0s"))
                .hasMessageContaining("cluster-ack-timeout");
    }

    @Test
    void aBadFlagPrintsWhatIsWrongAndWhereTheRestIsNotTheWholeUsage() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = Main.commandLine().setErr(new java.io.PrintWriter(err));

        int exit = cli.execute("--max-mesage-bytes", "10");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("switchboard: Unknown options: '--max-mesage-bytes', '10'")
                .contains("--max-message-bytes").contains("Run with --help")
                .doesNotContain("Usage:");
        assertThat(err.toString().lines().count()).as(err.toString()).isLessThan(8);
    }

    @Test
    void aBadValuePrintsOneLine() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = Main.commandLine().setErr(new java.io.PrintWriter(err));

        assertThat(cli.execute("--ping-interval", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--ping-interval").contains("soon").doesNotContain("Usage:");
    }

    @Test
    void theAppIsOnByDefaultAndNoAppOrTheEnvironmentTurnsItOff() {
        assertThat(parse(Map.of()).app()).isTrue();
        assertThat(parse(Map.of(), "--no-app").app()).isFalse();
        assertThat(parse(Map.of("SWITCHBOARD_APP", "false")).app()).isFalse();
        assertThat(parse(Map.of("SWITCHBOARD_APP", "false"), "--app").app()).as("the command line wins").isTrue();
    }

    @Test
    void aPortInUseIsOneLineNotAStackTrace() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine cli = Main.commandLine().setErr(new java.io.PrintWriter(err));

            int exit = cli.execute("--host", "127.0.0.1", "--port", Integer.toString(busy.getLocalPort()));

            assertThat(exit).isEqualTo(2);
            assertThat(err.toString()).startsWith("switchboard: cannot listen on 127.0.0.1:" + busy.getLocalPort()
                    + ": address already in use (see --host and --port)").doesNotContain("\tat ");
        }
    }

    @Test
    void anUnknownLogLevelIsRefused() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = Main.commandLine().setErr(new java.io.PrintWriter(err));

        assertThat(cli.execute("--log-level", "verbose")).isEqualTo(2);
        assertThat(err.toString()).startsWith("switchboard: --log-level must be error, warn, info, debug or trace");
    }

    private static ServerConfig parse(Map<String, String> env, String... args) {
        Main main = new Main();
        new CommandLine(main).setDefaultValueProvider(new EnvironmentDefaults(env)).parseArgs(args);
        return main.config();
    }
}
