package dev.switchboard.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.bench.client.ServerTarget;
import dev.switchboard.bench.load.ClientSettings;
import dev.switchboard.bench.load.HostPort;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TargetOptionsTest {

    private static TargetOptions parse(String... args) {
        TargetedCommand command = new TargetedCommand();
        new CommandLine(command).parseArgs(args);
        return command.targetOptions;
    }

    @Test
    void sendersGoWhereReceiversGoByDefault() {
        ServerTarget target = parse("--port", "5300").target();

        assertThat(target.splitsSenders()).isFalse();
        assertThat(target.forSenders()).isSameAs(target);
        assertThat(target.sendHost()).isEqualTo("127.0.0.1");
        assertThat(target.sendPort()).isEqualTo(5300);
    }

    @Test
    void sendPortSendsToAnotherNodeOfTheSameHost() {
        ServerTarget target = parse("--port", "5300", "--send-port", "5301", "--path", "/ws").target();

        assertThat(target.splitsSenders()).isTrue();
        assertThat(target.port()).isEqualTo(5300);
        ServerTarget senders = target.forSenders();
        assertThat(senders.host()).isEqualTo("127.0.0.1");
        assertThat(senders.port()).isEqualTo(5301);
        assertThat(senders.path()).isEqualTo("/ws");
        assertThat(senders.splitsSenders()).isFalse();
        assertThat(target.describe()).contains(":5300/ws", "senders to ws://127.0.0.1:5301/ws");
    }

    @Test
    void sendHostAloneKeepsThePort() {
        ServerTarget senders = parse("--send-host", "10.0.0.2").target().forSenders();

        assertThat(senders.host()).isEqualTo("10.0.0.2");
        assertThat(senders.port()).isEqualTo(5201);
    }

    @Test
    void badSendPortIsRefused() {
        assertThatThrownBy(() -> parse("--send-port", "70000").target()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void watchedProcessesAndRedisGoIntoTheSettings() {
        ClientSettings settings = parse("--watch-pid", "node1=123", "--watch-pid", "redis=456",
                "--redis-stats", "127.0.0.1:6400").settings();

        assertThat(settings.watch().processes()).containsExactly(
                java.util.Map.entry("node1", 123L), java.util.Map.entry("redis", 456L));
        assertThat(settings.watch().redis()).containsExactly(new HostPort("127.0.0.1", 6400));
    }

    @Test
    void severalRedisServersAreWatchedTogether() {
        ClientSettings settings = parse("--redis-stats", "127.0.0.1:7000,127.0.0.1:7001", "--redis-stats", "7002")
                .settings();

        assertThat(settings.watch().redis()).containsExactly(new HostPort("127.0.0.1", 7000),
                new HostPort("127.0.0.1", 7001), new HostPort("127.0.0.1", 7002));
    }

    @Test
    void nothingIsWatchedByDefault() {
        ClientSettings settings = parse().settings();

        assertThat(settings.watch().processes()).isEmpty();
        assertThat(settings.watch().redis()).isEmpty();
    }
}
